"""End to end: a member's reply reaches a follower's inbox through a real Celery worker and a real SMTP
server, and a reply sent while the mail server is down arrives once it is back.

Everything runs as in production, each in a process of its own: gunicorn serves the site, `celery -A ldnsite
worker --beat` delivers, Redis is the broker, and aiosmtpd is the mail server (in this process, so that the
test can stop and restart it). The database is a fresh one of the run's kind (a SQLite file, or a new
PostgreSQL database when DATABASE_URL names one). Needs Redis (LDNSITE_TEST_REDIS_URL): skipped without it,
except under CI, which provides it.
"""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# A Redis database of its own (emptied first), next to the one the unit tests use: rate limits counted by an
# earlier run, or its queued tasks, must not reach this one.
TEST_REDIS_URL = os.environ.get("LDNSITE_TEST_REDIS_URL", "")
REDIS_URL = urllib.parse.urlsplit(TEST_REDIS_URL)._replace(path="/14").geturl() if TEST_REDIS_URL else ""
PASSWORD = "correct-horse-9"
ARRIVAL_SECONDS = 60

if not REDIS_URL and not os.environ.get("CI"):
    pytest.skip("set LDNSITE_TEST_REDIS_URL (CI does) to run the worker end to end", allow_module_level=True)

aiosmtpd_controller = pytest.importorskip("aiosmtpd.controller")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """aiosmtpd's handler: every message the server accepts."""

    def __init__(self):
        self.messages: list[tuple[list[str], str]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((list(envelope.rcpt_tos), envelope.content.decode("utf8", "replace")))
        return "250 Message accepted for delivery"

    def wait_for(self, text: str, seconds: float = ARRIVAL_SECONDS) -> tuple[list[str], str]:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for recipients, content in self.messages:
                if text in content:
                    return recipients, content
            time.sleep(0.2)
        raise AssertionError(f"no e-mail with {text!r} arrived within {seconds} s; got {len(self.messages)}")


class MailServer:
    def __init__(self, port: int):
        self.port, self.inbox, self.controller = port, Inbox(), None

    def start(self):
        self.controller = aiosmtpd_controller.Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


def fresh_database(tmp_path) -> tuple[str, callable]:
    """A DATABASE_URL for a new, empty database of the kind this run uses, and how to drop it."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{tmp_path / 'e2e.sqlite3'}", lambda: None
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = f"ldnsite_e2e_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return parts._replace(path=f"/{name}").geturl(), drop


SEED = """
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone
from articles.models import Article, PublicationStatus
from ldnsite.comments import moderation

User = get_user_model()
def member(email, name):
    user = User.objects.create_user(email=email, password="{password}", display_name=name)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user

ada, bo = member("ada@example.org", "Ada"), member("bo@example.org", "Bo")
article = Article.objects.create(
    slug="ldn-and-sleep", title="LDN and sleep", summary="Sleep.", body="Sleep and LDN.", author=ada,
    status=PublicationStatus.PUBLISHED, published_at=timezone.now() - timezone.timedelta(days=1),
)
from ldnsite.comments.models import Thread
thread = Thread.objects.for_subject(article)
root = moderation.submit(thread, author=ada, body="Does LDN change your sleep?", follow=True)
print("ROOT", root.pk)
"""


class Site:
    """A browser-like client for the running site: cookies, CSRF tokens from forms, no redirects followed."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect()
        )

    def get(self, path: str) -> tuple[int, str]:
        try:
            with self.opener.open(self.base + path, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def post_form(self, path: str, fields: dict) -> int:
        status, page = self.get(path)
        assert status == 200, (path, status)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **fields}).encode()
        request = urllib.request.Request(  # noqa: S310 - the site under test, over http
            self.base + path, data=data, headers={"Referer": self.base + path}
        )
        try:
            with self.opener.open(request, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def wait_until_serving(base: str, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "the web server exited"
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1).read()  # noqa: S310 - our own http URL
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("the web server did not start")


@pytest.fixture
def running_site(tmp_path):
    assert REDIS_URL, "CI must provide Redis for the end-to-end test (LDNSITE_TEST_REDIS_URL)"
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    smtp = MailServer(free_port())
    smtp.start()
    web_port = free_port()
    database_url, drop_database = fresh_database(tmp_path)
    # The site's own settings with this environment only (not the suite's tests.settings: mail must really go
    # out over SMTP), as a deployment would start them.
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PYTEST"))}
    env.update(
        DJANGO_SETTINGS_MODULE="ldnsite.settings",
        DJANGO_DEBUG="1",  # static files without collectstatic; everything else as in production
        DJANGO_SECRET_KEY="e2e-" + uuid.uuid4().hex * 2,
        DATABASE_URL=database_url,
        REDIS_URL=REDIS_URL,
        DJANGO_SITE_URL=f"http://127.0.0.1:{web_port}",
        DJANGO_EMAIL_HOST="127.0.0.1",
        DJANGO_EMAIL_PORT=str(smtp.port),
        DJANGO_EMAIL_USE_TLS="0",
        DJANGO_COMMENTS_HOLD_FIRST_COMMENT="0",
        DJANGO_MAIL_RETRY_FIRST_SECONDS="1",
        DJANGO_MAIL_SWEEP_SECONDS="1",
        PAGE_CACHE_SECONDS="0",
    )
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True, timeout=300)
    seeded = subprocess.run(
        [*manage, "shell", "-c", SEED.replace("{password}", PASSWORD)],
        cwd=ROOT, env=env, check=True, timeout=120, capture_output=True, text=True,
    )  # fmt: skip
    root_pk = int(re.search(r"ROOT (\d+)", seeded.stdout).group(1))
    logs = tmp_path / "logs"
    logs.mkdir()
    processes = []
    try:
        web = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "ldnsite.wsgi", "-b", f"127.0.0.1:{web_port}", "-w", "1"],
            cwd=ROOT, env=env, stdout=(logs / "web.log").open("w"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        processes.append(web)
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "ldnsite", "worker", "--beat", "--loglevel", "INFO",
             "--pool", "solo", "--schedule", str(tmp_path / "beat-schedule"),
             "-n", f"e2e-{uuid.uuid4().hex}@%h"],
            cwd=ROOT, env=env, stdout=(logs / "worker.log").open("w"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        processes.append(worker)
        base = f"http://127.0.0.1:{web_port}"
        wait_until_serving(base, web)
        yield Site(base), smtp, root_pk, logs
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        smtp.stop()
        drop_database()


def log_of(logs: Path) -> str:
    return "\n".join(f"--- {path.name}\n{path.read_text()[-4000:]}" for path in sorted(logs.iterdir()))


def test_a_reply_reaches_the_follower_through_the_worker_even_after_the_mail_server_was_down(running_site):
    site, smtp, root_pk, logs = running_site
    assert site.post_form("/accounts/login/", {"login": "bo@example.org", "password": PASSWORD}) == 302

    reply = f"/comments/article/ldn-and-sleep/reply/{root_pk}/"
    status = site.post_form(reply, {"body": "Vivid dreams at first E2E-ONE", "parent": root_pk,
                                    "token": str(uuid.uuid4())})  # fmt: skip
    assert status == 302
    try:
        recipients, content = smtp.inbox.wait_for("E2E-ONE")
    except AssertionError as error:
        raise AssertionError(f"{error}\n{log_of(logs)}") from None
    assert recipients == ["ada@example.org"]
    assert "/articles/ldn-and-sleep/" in content and "unsubscribe" in content.lower()

    # The mail server goes away: the reply is still saved and acknowledged, and its mail waits.
    smtp.stop()
    status = site.post_form(reply, {"body": "Sleeping well now E2E-TWO", "parent": root_pk,
                                    "token": str(uuid.uuid4())})  # fmt: skip
    assert status == 302
    time.sleep(3)  # the worker tries, fails and schedules a retry
    assert not any("E2E-TWO" in content for _, content in smtp.inbox.messages)

    smtp.start()
    try:
        recipients, _ = smtp.inbox.wait_for("E2E-TWO")
    except AssertionError as error:
        raise AssertionError(f"{error}\n{log_of(logs)}") from None
    assert recipients == ["ada@example.org"]
    time.sleep(2)
    assert sum("E2E-TWO" in content for _, content in smtp.inbox.messages) == 1  # delivered once
