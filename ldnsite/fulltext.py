"""Full-text search pieces shared by the apps: the weighted document and its PostgreSQL-only GIN index."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db.migrations.operations.base import Operation

SEARCH_CONFIG = "english"


def weighted_vector(weighted_fields) -> SearchVector:
    """`setweight(to_tsvector(field), weight) || ...` for (field, weight) pairs, in order."""
    vectors = [SearchVector(name, weight=weight, config=SEARCH_CONFIG) for name, weight in weighted_fields]
    combined = vectors[0]
    for vector in vectors[1:]:
        combined = combined + vector
    return combined


class AddSearchIndex(Operation):
    """A GIN index on the weighted document, created on PostgreSQL only (SQLite has no tsvector).

    The index lives outside the model state, so `makemigrations` never sees it and SQLite never builds it.
    Queries must use the same `weighted_vector(...)` expression for PostgreSQL to pick the index; a test
    checks the query plan.
    """

    reversible = True

    def __init__(self, model_name: str, name: str, weighted_fields):
        self.model_name = model_name
        self.name = name
        self.weighted_fields = [tuple(pair) for pair in weighted_fields]

    def _index(self) -> GinIndex:
        return GinIndex(weighted_vector(self.weighted_fields), name=self.name)

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.add_index(to_state.apps.get_model(app_label, self.model_name), self._index())

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.remove_index(from_state.apps.get_model(app_label, self.model_name), self._index())

    def describe(self) -> str:
        return f"Create the full-text index {self.name} on {self.model_name} (PostgreSQL only)"

    @property
    def migration_name_fragment(self) -> str:
        return self.name

    def deconstruct(self):
        return (
            self.__class__.__qualname__,
            [],
            {"model_name": self.model_name, "name": self.name, "weighted_fields": self.weighted_fields},
        )
