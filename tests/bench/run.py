"""`make bench`: serve a seeded copy of the site with gunicorn and measure it.

    python -m tests.bench.run                 # SQLite, local-memory cache in each worker
    python -m tests.bench.run --db postgres   # PostgreSQL and Redis (BENCH_DATABASE_URL, BENCH_REDIS_URL)

It builds its own database (SQLite in --dir, or the PostgreSQL database named in BENCH_DATABASE_URL, dropped
and created again: never point it at a database you want to keep), seeds it with seed_volume, collects the
static files into --dir, starts gunicorn with production settings (DEBUG off, a bench secret key, WhiteNoise),
and loads each page with --concurrency connections for --seconds. It prints, per page, requests per second
(and as a share of a static file served by the same server), p50/p99 latency, database queries (counted
in-process with the test client on the same database, page cache off), and the gzip-compressed size of the
HTML with its same-origin CSS and JavaScript. The ambient DATABASE_URL and REDIS_URL are ignored on purpose.
"""

import argparse
import gzip
import json
import os
import platform
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from . import load

HOST = "127.0.0.1"
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/ldnsite_bench"
DEFAULT_REDIS = "redis://127.0.0.1:6379/2"
BENCH_EMAIL = "bench-member@volume.invalid"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--db", choices=["sqlite", "postgres"], default=os.environ.get("BENCH_DB") or "sqlite"
    )
    parser.add_argument("--seconds", type=float, default=5.0, help="Measured seconds per page.")
    parser.add_argument("--warmup", type=float, default=1.0, help="Unmeasured seconds before each page.")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes.")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--dir", default=os.environ.get("BENCH_DIR", "/tmp/ldnsite-bench"))
    parser.add_argument(
        "--reuse", action="store_true", help="Keep the database if seeded with these volumes."
    )
    parser.add_argument("--page-cache", type=int, default=600, help="PAGE_CACHE_SECONDS; 0 turns it off.")
    parser.add_argument(
        "--fragment-cache", type=int, default=600, help="FRAGMENT_CACHE_SECONDS; 0 turns fragments off."
    )
    for name, default in [
        ("articles", 200),
        ("studies", 50),
        ("testimonials", 20_000),
        ("topics", 2_000),
        ("comments", 200_000),
    ]:
        parser.add_argument(f"--{name}", type=int, default=default)
    parser.add_argument("--members", type=int, default=3_000)
    parser.add_argument(
        "--scale", type=int, default=1, help="Multiplies the volumes above (10 = ten times the default data)."
    )
    parser.add_argument("--only", default="", help="Measure only the pages whose label contains this.")
    return parser.parse_args()


def bench_environment(args, workdir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.bench.settings",
        DJANGO_SECRET_KEY="bench-" + secrets.token_urlsafe(48),
        DJANGO_ALLOWED_HOSTS=f"{HOST},localhost,testserver",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_LOG_LEVEL="WARNING",
        DJANGO_CONN_MAX_AGE="600",
        # One address sends every request here: the per-address search limit would answer 429.
        DJANGO_SEARCH_PER_MINUTE="100000000",
        PAGE_CACHE_SECONDS=str(args.page_cache),
        FRAGMENT_CACHE_SECONDS=str(args.fragment_cache),
        BENCH_STATIC_ROOT=str(workdir / "static"),
    )
    if args.db == "postgres":
        env["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", DEFAULT_PG)
        env["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS)
    else:
        env["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    return env


def volumes(args) -> dict[str, int]:
    keys = ("articles", "studies", "testimonials", "topics", "comments", "members")
    return {k: getattr(args, k) * args.scale for k in keys}


def fresh_database(args, env: dict[str, str], workdir: Path) -> None:
    if args.db == "sqlite":
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{workdir / 'bench.sqlite3'}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    url = urlsplit(env["DATABASE_URL"])
    name = url.path.lstrip("/")
    if not re.fullmatch(r"[A-Za-z0-9_]+", name) or "bench" not in name:
        sys.exit(f"Refusing to drop {name!r}: the bench database's name must contain 'bench'.")
    admin = url._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def prepare(args, env: dict[str, str], workdir: Path) -> dict:
    """Database, seed, bench member and static files; returns what the measurements need."""
    marker = workdir / f"seeded-{args.db}.json"
    wanted = {**volumes(args), "database": env["DATABASE_URL"]}
    reuse = args.reuse and marker.exists() and json.loads(marker.read_text()) == wanted
    if not reuse:
        marker.unlink(missing_ok=True)
        fresh_database(args, env, workdir)
    os.environ.update(env)
    for key in list(os.environ):
        if key not in env:
            del os.environ[key]
    import django

    django.setup()
    from django.core.management import call_command

    timings = {}
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    timings["migrate"] = time.perf_counter() - started
    if not reuse:
        started = time.perf_counter()
        call_command("seed_volume", yes=True, **volumes(args))
        analyze_tables()
        timings["seed_volume"] = time.perf_counter() - started
        marker.write_text(json.dumps(wanted))
    started = time.perf_counter()
    call_command("collectstatic", interactive=False, verbosity=0, clear=True)
    timings["collectstatic"] = time.perf_counter() - started
    cookie, hot = bench_member_cookie(), hot_article_url()
    check_logged_in(hot, cookie)
    return {
        "timings": timings, "cookie": cookie, "hot": hot, "member": busiest_member_url(),
        "topic": busiest_topic_url(),
    }  # fmt: skip


def analyze_tables() -> None:
    """Table statistics and visibility maps for the rows just seeded, as autovacuum would make in production a
    minute later: without statistics PostgreSQL planned a page's replies as a parallel scan over a tenth of
    all comments (7 ms instead of 1); without visibility maps a list's capped count reads the table for
    every key its index gives (ldnsite.paging: 18 ms instead of 2-6 for 18,000 stories)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def check_logged_in(path: str, cookie: str) -> None:
    """Stop unless the cookie logs the bench member in (else "logged in" would measure cached pages)."""
    from django.test import Client

    name, value = cookie.split("=", 1)
    client = Client()
    client.cookies[name] = value
    html = client.get(path).content.decode()
    if "Signed in as" not in html:
        sys.exit(f"The bench member's session does not log in on {path}: fix bench_member_cookie().")


def bench_member_cookie() -> str:
    """A verified member logged in by a session made in the database, as after a real login."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    User = get_user_model()
    member, _ = User.objects.get_or_create(
        email=BENCH_EMAIL, defaults={"display_name": "Bench member", "password": make_password(None)}
    )
    EmailAddress.objects.get_or_create(
        user=member, email=BENCH_EMAIL, defaults={"verified": True, "primary": True}
    )
    return login_cookie(member)


def login_cookie(user, **session_values) -> str:
    """The session cookie ("name=key") of a session made in the database for `user`, as after a real login,
    holding `session_values` too."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.update(session_values)
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def hot_article_url() -> str:
    from django.db.models import Count

    from ldnsite.comments.models import Thread

    thread = (
        Thread.objects.filter(subject_kind="article").annotate(n=Count("comments")).order_by("-n").first()
    )
    return thread.subject.get_absolute_url()


def busiest_topic_url() -> str | None:
    """The published topic with the most replies (seed_volume gives the first one as many as it can)."""
    from django.db.models import Count

    from ldnsite.comments.models import Thread

    thread = Thread.objects.filter(subject_kind="topic").annotate(n=Count("comments")).order_by("-n").first()
    return thread.subject.get_absolute_url() if thread is not None else None


def busiest_member_url() -> str:
    """The public page of the member with the most published comments: the longest member page."""
    from django.db.models import Count

    from ldnsite.comments.models import Comment

    busiest = (
        Comment.objects.filter(status=Comment.Status.PUBLISHED, author__isnull=False)
        .values("author")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    return f"/members/{busiest['author']}/"


def counts() -> dict[str, int]:
    from django.contrib.auth import get_user_model

    from articles.models import Article, Study
    from discussions.models import Topic
    from ldnsite.comments.models import Comment
    from testimonials.models import Testimonial

    return {
        "articles": Article.objects.count(),
        "studies": Study.objects.count(),
        "testimonials": Testimonial.objects.count(),
        "approved testimonials": Testimonial.objects.public().count(),
        "topics": Topic.objects.count(),
        "comments": Comment.objects.count(),
        "members": get_user_model().objects.count(),
    }


def query_count(path: str, cookie: str) -> int | None:
    """Queries one request makes, with the page cache off (what a miss costs)."""
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST=HOST)
    if cookie:
        name, value = cookie.split("=", 1)
        client.cookies[name] = value
    with (
        override_settings(PAGE_CACHE_SECONDS=0, FRAGMENT_CACHE_SECONDS=0),
        CaptureQueriesContext(connection) as queries,
    ):
        response = client.get(path)
    return len(queries) if response.status_code == 200 else None


ASSET = re.compile(
    r"<(?:link|script|img|iframe|source|video|audio|embed)\b[^>]*?\s(?:href|src)=[\"']([^\"']+)[\"'][^>]*>",
    re.IGNORECASE,
)


def page_weight(port: int, path: str, cookie: str) -> tuple[int | None, int, list[str]]:
    """(gzip size of the HTML + same-origin CSS and JS, in bytes; addresses on other origins it loads)."""
    response = load.get(HOST, port, path, cookie)
    if response.status != 200:
        return None, 0, []
    html = response.body.decode("utf-8", "replace")
    total = len(gzip.compress(response.body, 6))
    foreign, seen = [], set()
    for tag in ASSET.finditer(html):
        if re.search(r"rel=[\"']?(?:canonical|alternate)\b", tag.group(0)):
            continue  # an address for crawlers and feed readers, not something the browser loads
        url = tag.group(1).replace("&amp;", "&")
        parts = urlsplit(url)
        if parts.netloc and parts.netloc != f"{HOST}:{port}":
            foreign.append(url)
            continue
        is_code = re.search(r"rel=[\"']?stylesheet", tag.group(0)) or tag.group(0).lower().startswith(
            "<script"
        )
        if is_code and parts.path not in seen:
            seen.add(parts.path)
            asset = load.get(HOST, port, parts.path)
            total += len(gzip.compress(asset.body, 6))
    return total, len(seen), foreign


def uncached_ms(port: int, path: str, cookie: str) -> float:
    """Median time of a few single requests that bypass the page cache (an unknown query parameter).

    Eleven, so that the first request each worker serves (it compiles the templates and fills the process's
    own caches) and a neighbour's burst on this shared machine are never the median."""
    samples = []
    for n in range(11):
        started = time.perf_counter()
        load.get(HOST, port, f"{path}{'&' if '?' in path else '?'}bench_nocache={n}", cookie)
        samples.append(time.perf_counter() - started)
        if samples[-1] > 1:  # slow enough: one sample says it
            break
    return sorted(samples)[len(samples) // 2] * 1000


def static_path(port: int) -> str:
    html = load.get(HOST, port, "/").body.decode()
    match = re.search(r'href="(/static/[^"]+\.css)"', html)
    return match.group(1) if match else "/static/css/site.css"


def start_gunicorn(args, env: dict[str, str], workdir: Path) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    log = open(workdir / "gunicorn.log", "w")  # noqa: SIM115 - closed with the process
    server = subprocess.Popen(
        [str(gunicorn), "ldnsite.wsgi", "--workers", str(args.workers), "--bind", f"{HOST}:{args.port}"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            if load.get(HOST, args.port, "/healthz").status == 200:
                return server
        except OSError:
            pass
        if server.poll() is not None:
            break
        time.sleep(0.2)
    server.terminate()
    sys.exit(f"gunicorn did not start; see {workdir / 'gunicorn.log'}")


def machine() -> str:
    lscpu = shutil.which("lscpu")
    output = subprocess.run([lscpu], capture_output=True, text=True).stdout if lscpu else ""
    model = next(
        (line.split(":", 1)[1].strip() for line in output.splitlines() if line.startswith("Model name")),
        platform.processor(),
    )
    mem_kb = next(
        (
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        0,
    )
    memory = f"{mem_kb / 1024 / 1024:.0f} GB RAM"
    return f"{os.cpu_count()} CPUs ({model}), {memory}, Python {platform.python_version()}"


def main() -> None:
    args = parse_args()
    workdir = Path(args.dir)
    workdir.mkdir(parents=True, exist_ok=True)
    env = bench_environment(args, workdir)
    prepared = prepare(args, env, workdir)
    cookie, hot = prepared["cookie"], prepared["hot"]

    pages = [
        ("static file (baseline)", None, ""),
        ("/", "/", ""),
        ("article, 200 comments", hot, ""),
        ("article, 200 comments, logged in", hot, cookie),
        ("/studies/", "/studies/", ""),
        ("/testimonials/", "/testimonials/", ""),
        ("/testimonials/, page 50", "/testimonials/?page=50", ""),
        ("/testimonials/, filtered", "/testimonials/?ms_type=ppms&change=much_better", ""),
        ("/testimonials/summary/", "/testimonials/summary/", ""),
        ("/discussions/", "/discussions/", ""),
        ("/discussions/, one category", "/discussions/?category=side-effects", ""),
        ("busy topic", prepared["topic"], ""),
        ("busy topic, logged in", prepared["topic"], cookie),
        ("member page, most comments", prepared["member"], ""),
        ("/search/?q=naltrexone", "/search/?q=naltrexone", ""),
        ("/search/, few matches", "/search/?q=experience+12345", ""),
    ]
    # Seeded without topics: no busy topic to read (a page without a path would be the static baseline).
    pages = pages[:1] + [page for page in pages[1:] if page[1]]
    if args.only:
        pages = pages[:1] + [page for page in pages[1:] if args.only in page[0]]
    queries = {label: query_count(path, c) for label, path, c in pages if path}
    from django.db import connections

    connections.close_all()

    load_before = os.getloadavg()[0]
    server = start_gunicorn(args, env, workdir)
    rows = []
    try:
        static = static_path(args.port)
        pages[0] = (f"static file ({static.rsplit('/', 1)[-1]})", static, "")
        for label, path, c in pages:
            uncached = uncached_ms(args.port, path, c) if label in queries else None
            load.get(HOST, args.port, path, c)  # the first reader renders and stores the page
            result = load.run(
                HOST,
                args.port,
                path,
                c,
                concurrency=args.concurrency,
                seconds=args.seconds,
                warmup=args.warmup,
            )
            weight, _assets, foreign = page_weight(args.port, path, c) if label in queries else (None, 0, [])
            rows.append((label, path, result, weight, uncached, foreign))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    baseline = rows[0][2].requests_per_second or 1
    db_label = "PostgreSQL + Redis" if args.db == "postgres" else "SQLite, local-memory cache per worker"
    print()
    print(
        f"Machine: {machine()}; load average {load_before:.1f} before the run, {os.getloadavg()[0]:.1f} after"
    )
    print(
        f"Server: gunicorn {args.workers} sync workers, DEBUG off, WhiteNoise; {db_label}; "
        f"PAGE_CACHE_SECONDS={args.page_cache}, FRAGMENT_CACHE_SECONDS={args.fragment_cache}"
    )
    print(
        f"Load: {args.concurrency} connections, {args.seconds:g} s per page after {args.warmup:g} s warm-up"
    )
    print("Data: " + ", ".join(f"{n:,} {name}" for name, n in counts().items()))
    print("Setup: " + ", ".join(f"{name} {s:.1f} s" for name, s in prepared["timings"].items()))
    print()
    print(
        "| page | status | req/s | × static | p50 ms | p99 ms | uncached ms | queries | HTML+CSS+JS gz "
        "| other origins | cache |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for label, _path, result, weight, uncached, foreign in rows:
        statuses = ",".join(
            f"{code}" + (f"×{n}" if len(result.statuses) > 1 else "")
            for code, n in sorted(result.statuses.items())
        )
        hits = result.cache_states.get("hit", 0)
        cache_state = (
            f"{hits / len(result.latencies):.0%} hit" if result.latencies and label in queries else "-"
        )
        query = queries.get(label)
        print(
            f"| {label} | {statuses or '-'} | {result.requests_per_second:,.0f} | "
            f"{result.requests_per_second / baseline:.2f} | {result.percentile(50) * 1000:.1f} | "
            f"{result.percentile(99) * 1000:.1f} | {'-' if uncached is None else f'{uncached:.0f}'} | "
            f"{'-' if query is None else query} | "
            f"{'-' if weight is None else f'{weight / 1024:.1f} KB'} | {len(foreign)} | {cache_state} |"
        )
    print()
    by_label = {row[0]: row[2] for row in rows}
    anonymous = by_label.get("article, 200 comments")
    logged_in = by_label.get("article, 200 comments, logged in")
    heavy = [label for label, *_, weight, _a, _f in rows if weight and weight > 60 * 1024]
    foreign = [url for *_, f in rows for url in f]
    print("Targets:")
    if anonymous:
        print(
            f"  anonymous article >= 0.5 x static: {anonymous.requests_per_second / baseline:.2f} x "
            f"-> {'met' if anonymous.requests_per_second >= 0.5 * baseline else 'NOT met'}"
        )
    if logged_in:
        print(
            f"  logged-in article p99 < 100 ms: {logged_in.percentile(99) * 1000:.1f} ms "
            f"-> {'met' if logged_in.percentile(99) < 0.1 else 'NOT met'}"
        )
    print(f"  every page under 60 KB compressed: {'met' if not heavy else 'NOT met: ' + ', '.join(heavy)}")
    print(f"  no request to another origin: {'met' if not foreign else 'NOT met: ' + ', '.join(foreign)}")
    shutil.rmtree(workdir / "static", ignore_errors=True)


if __name__ == "__main__":
    main()
