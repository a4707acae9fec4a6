"""PostgreSQL full-text search documents, shared by the apps that are searchable.

Each searchable table gets, on PostgreSQL only, a stored generated `tsvector` column (`search_document`) with
the weighted text of the row, and a GIN index on it. PostgreSQL keeps the column up to date on every insert
and update; Django never reads or writes it (it is not a model field), so SQLite, fixtures, dumps and the
model state know nothing of it. Searching then filters `search_document @@ query` through the index and ranks
the stored vectors, without parsing any row's text again.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db.migrations.operations.base import Operation
from django.db.models import Expression

SEARCH_CONFIG = "english"
DOCUMENT_COLUMN = "search_document"


class StoredDocument(Expression):
    """The row's stored search document, for `.alias(document=...)` and `SearchRank` (PostgreSQL only)."""

    output_field = SearchVectorField()

    def __init__(self, model):
        super().__init__()
        self.table = model._meta.db_table

    def relabeled_clone(self, change_map):
        """Follow the table when Django renames it, as it does inside a subquery (`U0`)."""
        clone = self.copy()
        clone.table = change_map.get(self.table, self.table)
        return clone

    def as_sql(self, compiler, connection):
        column = connection.ops.quote_name(DOCUMENT_COLUMN)
        return f"{compiler.quote_name_unless_alias(self.table)}.{column}", []


class AddSearchDocument(Operation):
    """Add the generated `search_document` column and its GIN index, on PostgreSQL only (a no-op elsewhere).

    `weighted_fields` is a list of (field name, weight A-D) pairs: titles A, summaries B, bodies C.
    """

    reversible = True

    def __init__(self, model_name: str, index_name: str, weighted_fields):
        self.model_name = model_name
        self.index_name = index_name
        self.weighted_fields = [tuple(pair) for pair in weighted_fields]

    def _document_sql(self, model, quote) -> str:
        parts = []
        for name, weight in self.weighted_fields:
            if weight not in {"A", "B", "C", "D"}:
                raise ValueError(f"weight must be A, B, C or D, not {weight!r}")
            column = quote(model._meta.get_field(name).column)
            text = f"coalesce({column}::text, '')"
            parts.append(f"setweight(to_tsvector('{SEARCH_CONFIG}'::regconfig, {text}), '{weight}')")
        return " || ".join(parts)

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        model = to_state.apps.get_model(app_label, self.model_name)
        quote = schema_editor.quote_name
        table = quote(model._meta.db_table)
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN {quote(DOCUMENT_COLUMN)} tsvector "
            f"GENERATED ALWAYS AS ({self._document_sql(model, quote)}) STORED"
        )
        schema_editor.execute(
            f"CREATE INDEX {quote(self.index_name)} ON {table} USING gin ({quote(DOCUMENT_COLUMN)})"
        )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        model = from_state.apps.get_model(app_label, self.model_name)
        quote = schema_editor.quote_name
        schema_editor.execute(f"DROP INDEX IF EXISTS {quote(self.index_name)}")
        schema_editor.execute(
            f"ALTER TABLE {quote(model._meta.db_table)} DROP COLUMN IF EXISTS {quote(DOCUMENT_COLUMN)}"
        )

    def describe(self) -> str:
        return f"Add the full-text search document of {self.model_name} (PostgreSQL only)"

    @property
    def migration_name_fragment(self) -> str:
        return f"{self.model_name}_search_document"

    def deconstruct(self):
        kwargs = {
            "model_name": self.model_name,
            "index_name": self.index_name,
            "weighted_fields": self.weighted_fields,
        }
        return (self.__class__.__qualname__, [], kwargs)


class ReplaceSearchDocument(AddSearchDocument):
    """Rebuild a table's search document from other weighted fields (PostgreSQL only; a no-op elsewhere).

    A generated column's expression cannot be altered: the column and its index are dropped and added again
    from `weighted_fields`; backwards, from `previous_fields`.
    """

    def __init__(self, model_name: str, index_name: str, weighted_fields, previous_fields):
        super().__init__(model_name, index_name, weighted_fields)
        self.previous_fields = [tuple(pair) for pair in previous_fields]

    def _previous(self) -> AddSearchDocument:
        return AddSearchDocument(self.model_name, self.index_name, self.previous_fields)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        self._previous().database_backwards(app_label, schema_editor, to_state, from_state)
        super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        super().database_backwards(app_label, schema_editor, from_state, to_state)
        self._previous().database_forwards(app_label, schema_editor, to_state, from_state)

    def describe(self) -> str:
        return f"Rebuild the full-text search document of {self.model_name} (PostgreSQL only)"

    def deconstruct(self):
        name, args, kwargs = super().deconstruct()
        return (name, args, {**kwargs, "previous_fields": self.previous_fields})
