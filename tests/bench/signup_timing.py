"""`make bench-signup`: does sign-up tell who is registered by how long it takes?

    python -m tests.bench.signup_timing             # 40 known and 40 new addresses, SQLite
    python -m tests.bench.signup_timing -n 100 --database-url postgres://postgres@127.0.0.1:5432/ldn_signup

It builds a database of its own (a temporary SQLite file, or the PostgreSQL database named, dropped and made
again: never point it at one you want to keep), registers N members, then signs up N of their addresses
(known) and N addresses nobody has (new) through HTTP with Django's test client, alternating between the
two so that anything that drifts during the run weighs on both alike. The settings are production's (DEBUG
off, the real password hasher), and the e-mail stays in the queue for the worker, as in production. It
prints both medians and their ratio (known / new), and exits with 1 when the ratio is outside 0.67-1.5
(docs/security.md).
"""

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

LOW, HIGH = 0.67, 1.5
PASSWORD = "a-long-and-unusual-bench-passphrase-4"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-n", type=int, default=40, help="Sign-ups of each kind (known, new).")
    parser.add_argument(
        "--database-url", default="", help="A PostgreSQL database to drop and rebuild; default: SQLite."
    )
    return parser.parse_args()


def configure(database_url: str, directory: Path) -> None:
    """Production settings with a throwaway key and database, before Django loads."""
    os.environ.pop("REDIS_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "ldnsite.settings"
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(50)
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "0"
    os.environ["DJANGO_SITE_URL"] = "https://testserver"
    os.environ["DJANGO_LOG_LEVEL"] = "WARNING"
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{directory / 'signup.sqlite3'}"


def rebuild_postgres(database_url: str) -> None:
    import psycopg
    from psycopg import sql

    name = database_url.rsplit("/", 1)[1]
    with psycopg.connect(database_url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def main() -> int:
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="ldnsite-signup-") as directory:
        configure(args.database_url, Path(directory))
        if args.database_url:
            rebuild_postgres(args.database_url)
        import warnings

        import django

        # Production settings serve collected static files; this run needs none: their folder may be absent.
        warnings.filterwarnings("ignore", message="No directory at")
        django.setup()
        return measure(args.n)


def measure(n: int) -> int:
    import logging

    from django.contrib.auth.hashers import get_hasher
    from django.core.management import call_command
    from django.test import Client
    from post_office.models import Email
    from post_office.signals import email_queued

    from ldnsite.accounts.models import User

    call_command("migrate", verbosity=0)
    logging.getLogger("ldnsite.audit").setLevel(logging.WARNING)  # a line per sign-up would bury the figures
    # The worker delivers the queue in production; here the mail stays queued, so it is counted, not sent.
    email_queued.disconnect(dispatch_uid="ldnsite.mail.deliver_after_commit")
    for i in range(n):
        User.objects.create_user(
            email=f"known-{i}@bench.invalid", password=PASSWORD, display_name=f"Known {i}"
        )

    client = Client()
    timings: dict[str, list[float]] = {"known": [], "new": []}

    def sign_up(kind: str, i: int) -> None:
        data = {
            "email": f"{kind}-{i}@bench.invalid",
            "display_name": f"Bench {kind} {i}",
            "password1": PASSWORD,
            "password2": PASSWORD,
        }
        # One address per sign-up: allauth allows 20 a minute from one address, and the run makes more.
        remote = f"10.{(i + 1) // 250}.{(i + 1) % 250}.{1 if kind == 'known' else 2}"
        started = time.perf_counter()
        response = client.post("/accounts/signup/", data, REMOTE_ADDR=remote, secure=True)
        timings[kind].append(time.perf_counter() - started)
        if response.status_code != 302:
            raise SystemExit(f"sign-up of a {kind} address answered {response.status_code}, not a redirect")
        client.cookies.clear()

    sign_up("new", -1)  # warm-up: first-request imports and template loading, not measured
    timings["new"].clear()
    for i in range(n):
        for kind in ("known", "new") if i % 2 == 0 else ("new", "known"):
            sign_up(kind, i)

    known, new = statistics.median(timings["known"]), statistics.median(timings["new"])
    ratio = known / new
    queued = Email.objects.count()
    print(f"password hasher: {get_hasher().algorithm}; {n} sign-ups of each kind; {queued} mails queued")
    print(f"known address  median {known * 1000:7.1f} ms")
    print(f"new address    median {new * 1000:7.1f} ms")
    verdict = "within" if LOW <= ratio <= HIGH else "OUTSIDE"
    print(f"ratio known/new {ratio:.2f} ({verdict} {LOW}-{HIGH})")
    return 0 if LOW <= ratio <= HIGH else 1


if __name__ == "__main__":
    sys.exit(main())
