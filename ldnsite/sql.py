"""Names for the few fixed statements the site writes as SQL instead of building them with the ORM.

Building a query costs Django far more than running a small one: on the pages every member loads, a couple
of questions asked on each request (their permissions, whether they may comment) are therefore plain SQL,
written once per process from the models' own table and column names, with every value passed as a
parameter. Each such statement is portable (SQLite and PostgreSQL) and covered by tests on both.
"""

from collections.abc import Callable

from django.db import connections


def quoted_names(alias: str) -> tuple[Callable, Callable]:
    """table(meta) and column(meta, field name), quoted for the database `alias`."""
    quote = connections[alias].ops.quote_name

    def table(meta) -> str:
        return quote(meta.db_table)

    def column(meta, field: str) -> str:
        return quote(meta.get_field(field).column)

    return table, column
