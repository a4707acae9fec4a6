import os

from django.db import connection


def test_suite_runs_on_the_configured_database():
    """CI runs the suite twice; this proves the second run really talks to PostgreSQL."""
    expected = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"

    assert connection.vendor == expected
