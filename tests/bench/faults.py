"""`make faults`: break the site's dependencies one at a time, under traffic, and measure what people get.

    python -m tests.bench.faults                      # every scenario, about five minutes
    python -m tests.bench.faults --only redis-stop,postgres

Everything runs as in production, on 127.0.0.1 only: gunicorn (2 sync workers, DEBUG off, WhiteNoise, the
page cache on) and a Celery worker with its clock (`celery -A ldnsite worker --beat`), against a PostgreSQL
cluster, a Redis server and an SMTP server that belong to this run alone (tests/bench/services.py), so
stopping them hurts nobody. The database is seeded by `make bench`'s own steps (tests/bench/run.py) with a
modest volume, plus named people: a member who comments (a published comment already, so the next ones go
straight up), a follower of one discussion (replies there send mail), a moderator with a two-factor session,
and the author of two experiences waiting for a decision.

While the scenarios run, anonymous readers load public pages back to back, the member loads an article page
twice a second and posts a comment on another article every two seconds, an anonymous visitor loads a page
the cache never holds, and a monitor asks /healthz/ready every second. The scenarios, in order:

1. hit ratio: nothing breaks; the share of anonymous reads the page cache answers;
2. Redis stopped for 20 s, then started again (empty);
3. Redis frozen (SIGSTOP) for 10 s: its sockets stay open and never answer;
4. PostgreSQL stopped (fast shutdown) for 15 s; afterwards every unacknowledged comment is sent again with
   its form's token, as the 503 page asks, and the database is checked for lost and doubled comments;
5. SMTP hanging (accepts, never answers) for 15 s, then refusing for 20 s, with a reply and a moderator's
   decision in each; then the mail server returns and every e-mail row must reach it.

It prints a table of the figures and exits 1 if a target is missed or a scenario could not run. Logs stay
in --dir (gunicorn.log, worker.log, postgres.log, redis/redis.log); tracebacks found in them are listed.
Not a test: `make test` never runs it.
"""

import argparse
import http.client
import os
import re
import shlex
import shutil
import subprocess
import sys
import threading
import time
import traceback
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from . import load, run
from .services import HOST, MailServer, PostgresServer, RedisServer, free_port, stop_process

ROOT = Path(__file__).resolve().parents[2]
DATABASE = "ldnsite_faults_bench"
SCENARIOS = ("hit-ratio", "redis-stop", "redis-freeze", "postgres", "smtp")
CLIENT_TIMEOUT = 10.0  # how long a client waits for an answer before it counts none
ANSWER_WITHIN = 3.0
SIGNED_IN = "Signed in as"
UNAVAILABLE = "briefly unavailable"  # the branded 503 page (templates/503.html, ldnsite.errors)
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
KEPT_COOKIES = ("sessionid", "csrftoken")  # the messages cookie is left out: the writer never reads its page


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dir", default=os.environ.get("FAULTS_DIR", "/tmp/ldnsite-faults"))
    parser.add_argument("--only", default="", help=f"Comma-separated scenarios, of: {', '.join(SCENARIOS)}.")
    parser.add_argument("--readers", type=int, default=4, help="Anonymous readers, each back to back.")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes.")
    parser.add_argument("--hit-seconds", type=float, default=30.0, help="Length of the hit-ratio scenario.")
    parser.add_argument("--mail-wait", type=float, default=150.0,
                        help="Seconds to wait for every e-mail once the mail server is back.")  # fmt: skip
    for name, default in [
        ("articles", 20),
        ("studies", 10),
        ("testimonials", 400),
        ("comments", 4_000),
        ("members", 200),
    ]:
        parser.add_argument(f"--{name}", type=int, default=default)
    args = parser.parse_args()
    args.only = [name.strip() for name in args.only.split(",") if name.strip()] or list(SCENARIOS)
    unknown = set(args.only) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenario {', '.join(sorted(unknown))}; choose from {', '.join(SCENARIOS)}")
    # What run.prepare(), run.bench_environment() and run.start_gunicorn() read.
    args.db, args.reuse, args.page_cache, args.fragment_cache = "postgres", False, 600, 600
    return args


# --- Clients ----------------------------------------------------------------------------------------------


@dataclass
class Sample:
    who: str
    path: str
    started: float  # time.monotonic()
    seconds: float | None  # None: no answer within CLIENT_TIMEOUT
    status: int  # 0: no answer
    cache: str = ""  # X-Cache: hit or miss, on pages the page cache may keep
    branded: bool = False  # the site's own 503 page for a database outage, with Retry-After
    retry_after: bool = False
    signed_in: bool = False
    body: str = field(default="", repr=False)  # kept only where asked: pages are large, samples many

    @property
    def finished(self) -> float:
        return self.started + (self.seconds or 0.0)


class Browser:
    """One visitor: its own cookies (the Secure ones too: this client talks plain http to a production-mode
    site), one request per connection as gunicorn's sync workers answer, no redirect followed."""

    def __init__(self, port: int, who: str, samples: list[Sample], cookie: str = "", *, keep_bodies=False):
        self.port, self.who, self.samples, self.keep_bodies = port, who, samples, keep_bodies
        self.cookies = dict([cookie.split("=", 1)]) if cookie else {}
        self.last_body = ""

    def get(self, path: str) -> Sample:
        return self._request("GET", path)

    def post(self, path: str, fields: dict) -> Sample:
        return self._request("POST", path, urlencode(fields))

    def csrf_token(self, path: str) -> str:
        """The CSRF token of the form on `path` (which sets the cookie it belongs to)."""
        sample = self.get(path)
        match = CSRF_FIELD.search(self.last_body)
        if sample.status != 200 or not match:
            raise RuntimeError(f"{self.who}: no form on {path} (status {sample.status})")
        return match.group(1)

    def _request(self, method: str, path: str, body: str | None = None) -> Sample:
        headers = {"Host": f"{HOST}:{self.port}", "User-Agent": "ldnsite-faults", "Accept": "text/html"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.monotonic()
        connection = http.client.HTTPConnection(HOST, self.port, timeout=CLIENT_TIMEOUT)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException):
            sample, self.last_body = Sample(self.who, path, started, None, 0), ""
        else:
            seconds = time.monotonic() - started
            self._keep_cookies(response.headers.get_all("Set-Cookie") or [])
            retry_after = bool(response.headers.get("Retry-After"))
            sample = Sample(
                self.who, path, started, seconds, response.status,
                cache=response.headers.get("X-Cache", ""), retry_after=retry_after,
                branded=response.status == 503 and retry_after and UNAVAILABLE in text.lower(),
                signed_in=SIGNED_IN in text, body=text if self.keep_bodies else "",
            )  # fmt: skip
            self.last_body = text
        finally:
            connection.close()
        self.samples.append(sample)
        return sample

    def _keep_cookies(self, headers: list[str]) -> None:
        for header in headers:
            for name, morsel in SimpleCookie(header).items():
                if name not in KEPT_COOKIES:
                    continue
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)


@dataclass
class Write:
    """One comment the member sends: the same form token on every attempt, as a browser resends a form."""

    marker: str
    token: str
    attempts: list[Sample] = field(default_factory=list)

    @property
    def acknowledged(self) -> bool:
        return any(sample.status == 302 for sample in self.attempts)

    @property
    def first_sent(self) -> float:
        return self.attempts[0].started


@dataclass
class Site:
    """The seeded people and places the traffic uses."""

    port: int
    run_id: str
    commenter_cookie: str
    moderator_cookie: str
    reader_paths: list[str]
    member_path: str
    write_path: str  # the form that posts a comment on an article no reader loads
    reply_path: str  # the form that replies to the follower's comment
    reply_parent: int
    pending: list[tuple[int, str]]  # (testimonial, fingerprint) waiting for the moderator
    login: dict[str, str]  # the follower's e-mail address and password, for a login over HTTP


class Traffic:
    """Readers, the member, an uncached visitor, the readiness monitor and the writer, in threads."""

    def __init__(self, site: Site, readers: int):
        self.site, self.readers = site, readers
        self.samples: list[Sample] = []
        self.writes: list[Write] = []
        self.stopping = threading.Event()
        self.writer_paused = threading.Event()
        self.threads: list[threading.Thread] = []
        self.writer = Browser(site.port, "writer", self.samples, site.commenter_cookie)
        self.write_csrf = ""

    def start(self) -> None:
        self.write_csrf = self.writer.csrf_token(self.site.write_path)
        loops = [(self._read, (n,)) for n in range(self.readers)]
        loops += [(self._member, ()), (self._uncached, ()), (self._ready, ()), (self._write, ())]
        for target, loop_args in loops:
            thread = threading.Thread(target=target, args=loop_args, daemon=True)
            thread.start()
            self.threads.append(thread)

    def stop(self) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=CLIENT_TIMEOUT + 5)

    def _read(self, offset: int) -> None:
        browser, paths = Browser(self.site.port, "reader", self.samples), self.site.reader_paths
        n = offset
        while not self.stopping.is_set():
            browser.get(paths[n % len(paths)])
            n += 1

    def _paced(self, interval: float, action: Callable[[], object]) -> None:
        while not self.stopping.is_set():
            started = time.monotonic()
            action()
            self.stopping.wait(max(0.0, interval - (time.monotonic() - started)))

    def _member(self) -> None:
        browser = Browser(self.site.port, "member", self.samples, self.site.commenter_cookie)
        self._paced(0.5, lambda: browser.get(self.site.member_path))

    def _uncached(self) -> None:
        browser, counter = Browser(self.site.port, "uncached", self.samples), iter(range(10**9))
        self._paced(0.25, lambda: browser.get(f"/articles/?faults_uncached={next(counter)}"))

    def _ready(self) -> None:
        browser = Browser(self.site.port, "ready", self.samples, keep_bodies=True)
        self._paced(1.0, lambda: browser.get("/healthz/ready"))

    def _write(self) -> None:
        self._paced(2.0, lambda: None if self.writer_paused.is_set() else self.write_comment())

    def write_comment(self) -> Write:
        write = Write(f"faults-{self.site.run_id}-{len(self.writes):04d}", str(uuid.uuid4()))
        self.writes.append(write)
        self.send(write)
        return write

    def send(self, write: Write) -> Sample:
        sample = self.writer.post(self.site.write_path, {
            "csrfmiddlewaretoken": self.write_csrf, "token": write.token,
            "body": f"{write.marker}: a comment from the fault benchmark.",
        })  # fmt: skip
        write.attempts.append(sample)
        return sample

    def between(self, start: float, end: float, *who: str) -> list[Sample]:
        return [s for s in list(self.samples) if start <= s.started <= end and (not who or s.who in who)]


# --- Figures ----------------------------------------------------------------------------------------------


@dataclass
class Row:
    scenario: str
    target: str
    figures: str = "not run"
    met: bool | None = None  # None: not run, or could not run
    details: list[str] = field(default_factory=list)


def statuses(samples: list[Sample]) -> str:
    counts = Counter("none" if s.seconds is None else str(s.status) for s in samples)
    return ", ".join(f"{status} ×{n:,}" for status, n in sorted(counts.items())) or "no request"


def latency(samples: list[Sample]) -> str:
    answered = [s.seconds for s in samples if s.seconds is not None]
    if not answered:
        return "no answer"
    p99 = load.Result(latencies=answered).percentile(99)
    return f"max {max(answered):.2f} s, p99 {p99:.2f} s"


def percent(part: int, whole: int) -> str:
    return f"{part / whole:.1%}" if whole else "-"


def saved_comments(run_id: str) -> Counter:
    """How many rows hold each of this run's comments (by the marker that starts its text)."""
    from django.db import close_old_connections

    from ldnsite.comments.models import Comment

    close_old_connections()
    bodies = Comment.objects.filter(body__startswith=f"faults-{run_id}-").values_list("body", flat=True)
    return Counter(body.split(":", 1)[0] for body in bodies)


def check_writes(writes: list[Write], run_id: str) -> tuple[int, int, int, int]:
    """(acknowledged, acknowledged but lost, saved more than once, saved though never acknowledged)."""
    saved = saved_comments(run_id)
    acknowledged = [w for w in writes if w.acknowledged]
    lost = sum(1 for w in acknowledged if saved[w.marker] == 0)
    doubled = sum(1 for w in writes if saved[w.marker] > 1)
    unacknowledged_saved = sum(1 for w in writes if not w.acknowledged and saved[w.marker])
    return len(acknowledged), lost, doubled, unacknowledged_saved


def whole_run(writes: list[Write], run_id: str) -> str:
    acknowledged, lost, doubled, unacknowledged_saved = check_writes(writes, run_id)
    answers = Counter(str(w.attempts[-1].status) if w.attempts else "unsent" for w in writes)
    last = ", ".join(f"{status} ×{n}" for status, n in sorted(answers.items()))
    return (
        f"Comments over the whole run: {len(writes)} sent ({last} to the last attempt), "
        f"{acknowledged} acknowledged, {lost} of those lost, {doubled} saved twice, "
        f"{unacknowledged_saved} saved without an acknowledgement"
    )


def ready_failures(sample: Sample) -> str:
    match = re.search(r'"failed":\s*\[([^\]]*)\]', sample.body)
    return match.group(1).replace('"', "").replace(" ", "") if match else "?"


# --- Scenarios --------------------------------------------------------------------------------------------


class Bench:
    def __init__(self, args, site: Site, traffic: Traffic, postgres, redis, smtp):
        self.args, self.site, self.traffic = args, site, traffic
        self.postgres, self.redis, self.smtp = postgres, redis, smtp

    def hit_ratio(self, row: Row) -> None:
        start = time.monotonic()
        time.sleep(self.args.hit_seconds)
        end = time.monotonic()
        reads = self.traffic.between(start, end, "reader")
        kept = [s for s in reads if s.cache in ("hit", "miss")]
        hits = sum(s.cache == "hit" for s in kept)
        writes = [w for w in self.traffic.writes if start <= w.first_sent <= end]
        acknowledged = sum(w.acknowledged for w in writes)
        row.met = bool(kept) and hits / len(kept) >= 0.9 and acknowledged > 0
        row.figures = (
            f"{percent(hits, len(kept))} hits ({hits:,} of {len(kept):,} anonymous reads, "
            f"{len(reads) / (end - start):,.0f} a second; {acknowledged} of {len(writes)} comments "
            "acknowledged)"
        )
        for path in self.site.reader_paths:
            on_path = [s for s in kept if s.path == path]
            row.details.append(
                f"{path}: {percent(sum(s.cache == 'hit' for s in on_path), len(on_path))} hits of "
                f"{len(on_path):,}"
            )
        row.details.append(f"reads: {statuses(reads)}; {latency(reads)}")
        for who in ("member", "uncached", "writer", "ready"):
            mine = self.traffic.between(start, end, who)
            row.details.append(f"{who}: {statuses(mine)}; {latency(mine)}")

    def log_in(self) -> tuple[Sample, str]:
        """A member logs in with their password, as at /accounts/login/ in a browser; with the heading of
        the page they get instead of the redirect, if any."""
        browser = Browser(self.site.port, "login", self.traffic.samples)
        token = browser.csrf_token("/accounts/login/")
        sample = browser.post("/accounts/login/", {"csrfmiddlewaretoken": token, **self.site.login})
        heading = re.search(r"<h1[^>]*>(.*?)</h1>", browser.last_body, re.DOTALL)
        return sample, re.sub(r"<[^>]+>|\s+", " ", heading.group(1)).strip() if heading else ""

    def redis_stop(self, row: Row, login_row: Row) -> None:
        baseline, _ = self.log_in()  # the same login with Redis up: a refusal below is the outage's
        start = time.monotonic()
        self.redis.stop()
        time.sleep(5)
        login, told = self.log_in()
        time.sleep(max(0.0, start + 20 - time.monotonic()))
        self.redis.start()
        back = time.monotonic()
        time.sleep(5)
        reads = self.traffic.between(start, back + 2, "reader")
        ok_reads = sum(s.status == 200 for s in reads)
        member = self.traffic.between(start, back, "member")
        signed_in = sum(s.status == 200 and s.signed_in for s in member)
        writes = [w for w in self.traffic.writes if start <= w.first_sent <= back]
        acknowledged, lost, doubled, _ = check_writes(writes, self.site.run_id)
        ready = self.traffic.between(start + 1, back - 1, "ready")
        row.met = (
            bool(reads) and ok_reads / len(reads) >= 0.99 and bool(member) and signed_in == len(member)
            and bool(writes) and acknowledged == len(writes) and lost == 0
        )  # fmt: skip
        row.figures = (
            f"anonymous reads {percent(ok_reads, len(reads))} 200 ({ok_reads:,} of {len(reads):,}); member "
            f"signed in on {signed_in} of {len(member)} pages; {acknowledged} of {len(writes)} comments "
            f"acknowledged, {lost} lost"
        )
        row.details += [
            f"reads: {statuses(reads)}; {latency(reads)}; {len(reads) / (back + 2 - start):,.0f} a second",
            f"member pages: {statuses(member)}; {latency(member)}",
            f"/healthz/ready meanwhile: {statuses(ready)}; failed parts: "
            f"{', '.join(sorted({ready_failures(s) for s in ready})) or '-'}",
        ]
        # Let in, or told the truth: a 503 with Retry-After, not "too many attempts" (429) nor an error.
        honest = login.status == 302 or (login.status == 503 and login.retry_after)
        login_row.met = honest and login.seconds is not None and login.seconds <= ANSWER_WITHIN
        page = f" “{told}”" if told else ""
        login_row.figures = (
            f"{login.status or 'no answer'}{page} in {login.seconds or 0:.2f} s (with Redis up: "
            f"{baseline.status or 'no answer'} in {baseline.seconds or 0:.2f} s)"
        )
        if login.status == 429:
            login_row.details.append(
                "allauth's rate limit takes a lock with cache.add(); with Redis down the add never succeeds, "
                "so after a 1 s wait the limit counts the login as over the limit"
            )

    def redis_freeze(self, row: Row) -> None:
        start = time.monotonic()
        self.redis.freeze()
        try:
            time.sleep(10)
        finally:
            self.redis.thaw()
        end = time.monotonic()
        time.sleep(5)
        during = self.traffic.between(start, end)
        late = [s for s in during if s.seconds is None or s.seconds > ANSWER_WITHIN]
        row.met = bool(during) and not late
        row.figures = (
            f"{len(during) - len(late):,} of {len(during):,} requests answered within 3 s; {latency(during)}"
        )
        for who in ("reader", "member", "writer", "uncached", "ready"):
            mine = [s for s in during if s.who == who]
            row.details.append(f"{who}: {statuses(mine)}; {latency(mine)}")

    def postgres_stop(self, row: Row) -> None:
        from django.db import connections

        # No comment for a few seconds: the readers' pages are all in the cache when the database stops.
        self.traffic.writer_paused.set()
        time.sleep(4)
        settled = time.monotonic()
        cached = {s.path for s in self.traffic.between(settled - 1.5, settled, "reader") if s.cache == "hit"}
        connections.close_all()
        start = time.monotonic()
        self.traffic.writer_paused.clear()
        try:
            self.postgres.stop()
            time.sleep(15)
        finally:
            self.postgres.start()
        back = time.monotonic()
        time.sleep(8)
        self.traffic.writer_paused.set()  # the writer sends its unacknowledged comments again, as asked
        writes = [w for w in self.traffic.writes if w.first_sent >= start]
        resent = [w for w in writes if not w.acknowledged]
        for write in resent:
            self.traffic.send(write)
        if writes:  # and a double submit of one that was acknowledged: it must not make a second comment
            self.traffic.send(next((w for w in writes if w.acknowledged), writes[0]))
        self.traffic.writer_paused.clear()

        during = self.traffic.between(start, back)
        readers = [s for s in during if s.who == "reader"]
        served = [s for s in readers if s.path in cached]
        served_ok = sum(s.status == 200 for s in served)
        # Everything not answered as usual (the requests that reached the database just before it stopped
        # were) must be the branded page; /healthz/ready answers its own JSON 503.
        others = [s for s in during if s.who != "ready" and s.status not in (200, 302)]
        branded = sum(s.branded for s in others)
        after = [s for s in self.traffic.between(back, back + 8, "uncached", "member") if s.status == 200]
        first_200 = min((s.finished for s in after), default=None)
        first_200 = None if first_200 is None else first_200 - back
        acknowledged, lost, doubled, unacked_saved = check_writes(writes, self.site.run_id)
        ready = self.traffic.between(start + 1, back - 1, "ready")
        ready_503 = sum(s.status == 503 and "database" in ready_failures(s) for s in ready)
        row.met = (
            bool(cached) and served_ok == len(served) and branded == len(others)
            and first_200 is not None and first_200 <= ANSWER_WITHIN and lost == 0 and doubled == 0
            and bool(ready) and ready_503 == len(ready)
        )  # fmt: skip
        returned = "never" if first_200 is None else f"{first_200:.1f} s"
        row.figures = (
            f"cached pages {served_ok:,} of {len(served):,} served 200; the rest {branded:,} of "
            f"{len(others):,} branded 503; first 200 {returned} after its return; {acknowledged} of "
            f"{len(writes)} comments acknowledged, {lost} lost, {doubled} duplicates; /healthz/ready 503 "
            f"{ready_503} of {len(ready)}"
        )
        row.details += [
            f"pages in the cache at the stop: {len(cached)} of {len(self.site.reader_paths)} "
            f"({', '.join(sorted(set(self.site.reader_paths) - cached)) or 'all'})",
            f"anonymous readers meanwhile: {statuses(readers)}; {latency(readers)}",
            *(f"{who} meanwhile: {statuses(m)}; {latency(m)}"
              for who in ("member", "uncached", "writer") if (m := [s for s in during if s.who == who])),
            f"comments sent again after the return: {len(resent)} (+1 double submit); saved though the first "
            f"answer was an error: {unacked_saved}",
        ]  # fmt: skip

    def mail(self, row_hang: Row, row_refuse: Row) -> None:
        from django.db import close_old_connections
        from post_office.models import STATUS, Email, Log

        close_old_connections()
        since = Email.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        commenter = Browser(self.site.port, "action", self.traffic.samples, self.site.commenter_cookie)
        moderator = Browser(self.site.port, "action", self.traffic.samples, self.site.moderator_cookie)
        pending = list(self.site.pending)

        def act(phase: str) -> list[Sample]:
            reply_csrf = commenter.csrf_token(self.site.reply_path)
            reply = commenter.post(self.site.reply_path, {
                "csrfmiddlewaretoken": reply_csrf, "token": str(uuid.uuid4()),
                "parent": self.site.reply_parent, "body": f"A reply while the mail server is {phase}.",
            })  # fmt: skip
            testimonial, seen = pending.pop(0)
            decision = moderator.post(f"/moderation/testimonials/{testimonial}/approve/", {
                "csrfmiddlewaretoken": moderator.csrf_token("/moderation/"), "seen": seen,
            })  # fmt: skip
            return [reply, decision]

        self.smtp.hang()
        hang_started = time.monotonic()
        hanging = act("hanging")
        time.sleep(max(0.0, hang_started + 15 - time.monotonic()))
        self.smtp.stop()
        refuse_started = time.monotonic()
        refusing = act("refusing")
        time.sleep(max(0.0, refuse_started + 20 - time.monotonic()))
        attempts_failed = Log.objects.filter(email__pk__gt=since, status=STATUS.failed).count()
        self.smtp.start()
        back = time.monotonic()
        meanwhile = self.traffic.between(hang_started, back)
        server_errors = [s for s in meanwhile if s.seconds is None or s.status >= 500]

        expected: dict[str, Email] = {}
        deadline = back + self.args.mail_wait
        while time.monotonic() < deadline:
            close_old_connections()
            expected = {e.message_id: e for e in Email.objects.filter(pk__gt=since)}
            received = {m.message_id for m in self.smtp.messages}
            if expected and set(expected) <= received:
                break
            time.sleep(1)
        while time.monotonic() < deadline and any(e.status != STATUS.sent for e in expected.values()):
            time.sleep(1)  # delivered: the worker marks the rows sent right after
            close_old_connections()
            expected = {e.message_id: e for e in Email.objects.filter(pk__gt=since)}
        arrivals = {m.message_id: m.received_at - back for m in self.smtp.messages}
        received_counts = Counter(m.message_id for m in self.smtp.messages)
        missing = [e for message_id, e in expected.items() if message_id not in arrivals]
        doubled = sum(1 for message_id in expected if received_counts[message_id] > 1)
        slowest = max((arrivals[i] for i in expected if i in arrivals), default=None)
        in_time = sum(1 for i in expected if i in arrivals and arrivals[i] <= 120)

        hang_late = [s for s in hanging if s.seconds is None or s.seconds > ANSWER_WITHIN]
        hang_errors = [s for s in hanging if s.seconds is None or s.status >= 500]
        row_hang.met = not hang_late and not hang_errors and all(s.status == 302 for s in hanging)
        row_hang.figures = (
            f"reply {hanging[0].status} in {hanging[0].seconds or 0:.2f} s, decision {hanging[1].status} in "
            f"{hanging[1].seconds or 0:.2f} s"
        )
        row_refuse.met = (
            not server_errors and all(s.status == 302 for s in refusing) and len(expected) >= 4
            and not missing and not doubled and in_time == len(expected)
        )  # fmt: skip
        row_refuse.figures = (
            f"reply {refusing[0].status}, decision {refusing[1].status}, {len(server_errors)} of "
            f"{len(meanwhile):,} responses 5xx while hanging or refusing; {len(expected) - len(missing)} of "
            f"{len(expected)} e-mails delivered, last {'-' if slowest is None else f'{slowest:.0f} s'} after "
            f"the server's return; {len(missing)} lost, {doubled} delivered twice"
        )
        row_refuse.details += [
            f"every response while hanging or refusing: {statuses(meanwhile)}; {latency(meanwhile)}",
            f"e-mail rows: {', '.join(f'{e.subject!r} {e.get_status_display()}' for e in expected.values())}",
            f"failed delivery attempts logged while the server was hanging or refusing: {attempts_failed}",
            "the hanging phase's mail counts too: the server it waited for returned at the same moment",
        ]
        if missing:
            row_refuse.details.append("not delivered: " + ", ".join(
                f"{e.subject!r} ({e.get_status_display()}, {e.number_of_retries or 0} retries)"
                for e in missing
            ))  # fmt: skip


# --- Setting up -------------------------------------------------------------------------------------------


def environment(args, workdir: Path, postgres: PostgresServer, redis: RedisServer, smtp_port: int) -> dict:
    env = run.bench_environment(args, workdir)
    env.update(
        DJANGO_SETTINGS_MODULE="tests.bench.faults_settings",
        DATABASE_URL=postgres.url(DATABASE),
        REDIS_URL=redis.url,
        DJANGO_SITE_URL=f"http://{HOST}:{args.port}",
        DJANGO_EMAIL_HOST=HOST,
        DJANGO_EMAIL_PORT=str(smtp_port),
        DJANGO_EMAIL_USE_TLS="0",
    )
    return env


def seed_people(run_id: str, prepared: dict, port: int) -> Site:
    """The named people of the scenarios, made in this process (Django is set up by run.prepare)."""
    from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from articles.models import Article, Study
    from ldnsite.comments import moderation
    from ldnsite.comments.models import Comment, Thread
    from testimonials import moderation as testimonial_moderation
    from testimonials.models import Testimonial

    User = get_user_model()

    password = "faults-" + uuid.uuid4().hex

    def member(name: str):
        email = f"faults-{name}@example.org"
        user = User.objects.create_user(email=email, password=password, display_name=f"Fault {name}")
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        return user

    moderator, follower, author = member("moderator"), member("follower"), member("author")
    moderator.groups.add(Group.objects.get(name="Moderators"))
    Authenticator.objects.create(user=moderator, type=Authenticator.Type.TOTP, data={"secret": "faults"})
    commenter = User.objects.get(email=run.BENCH_EMAIL)

    hot = prepared["hot"]
    others = [a for a in Article.objects.public().order_by("pk") if a.get_absolute_url() != hot]
    written_on, followed = others[0], others[1]
    thread = Thread.objects.for_subject(written_on)
    first = moderation.submit(thread, author=commenter, body="An earlier comment of the fault benchmark.")
    if first.status != Comment.Status.PUBLISHED:  # a first comment waits for a moderator
        moderation.publish(first, by=moderator)
    followed_thread = Thread.objects.for_subject(followed)
    root = moderation.submit(followed_thread, author=follower, body="How did LDN go for you?", follow=True)
    if root.status != Comment.Status.PUBLISHED:
        moderation.publish(root, by=moderator)

    template = Testimonial.objects.public().first()
    pending = []
    for n in (1, 2):
        content = {name: getattr(template, name) for name in template.CONTENT_FIELDS}
        content["title"] = f"Fault benchmark experience {n}"
        testimonial = testimonial_moderation.submit(author=author, content=content, is_carer=False)
        pending.append((testimonial.pk, testimonial.fingerprint))

    mfa = {AUTHENTICATION_METHODS_SESSION_KEY: [{"method": "mfa", "at": time.time(), "type": "totp"}]}
    study = Study.objects.public().order_by("pk").first()
    return Site(
        port=port,
        run_id=run_id,
        commenter_cookie=prepared["cookie"],
        moderator_cookie=run.login_cookie(moderator, **mfa),
        reader_paths=[
            "/",
            "/articles/",
            hot,
            "/studies/",
            study.get_absolute_url(),
            "/testimonials/",
            template.get_absolute_url(),
        ],  # fmt: skip
        member_path=hot,
        write_path=f"/comments/article/{written_on.slug}/new/",
        reply_path=f"/comments/article/{followed.slug}/reply/{root.pk}/",
        reply_parent=root.pk,
        pending=pending,
        login={"login": follower.email, "password": password},
    )


def start_worker(env: dict, workdir: Path) -> subprocess.Popen:
    celery = Path(sys.executable).with_name("celery")
    return subprocess.Popen(
        [str(celery), "-A", "ldnsite", "worker", "--beat", "--loglevel", "INFO",
         "--schedule", str(workdir / "beat-schedule"), "-n", f"faults-{uuid.uuid4().hex[:8]}@%h"],
        cwd=ROOT, env=env, stdout=(workdir / "worker.log").open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip


def wait_until_ready(port: int, seconds: float) -> float | None:
    """Seconds until /healthz/ready answers 200 (the worker's first heartbeat), or None."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        try:
            if load.get(HOST, port, "/healthz/ready").status == 200:
                return time.monotonic() - started
        except OSError:
            pass
        time.sleep(1)
    return None


def tracebacks(log: Path, most: int = 5) -> tuple[int, list[str]]:
    """How many tracebacks a log holds, and the most frequent final lines (the exception) with their count."""
    if not log.exists():
        return 0, []
    finals, inside = Counter(), False
    for line in log.read_text(errors="replace").splitlines():
        if line.startswith("Traceback (most recent call last)"):
            inside = True
        elif inside and line.strip() and not line.startswith((" ", "\t", "During handling", "The above")):
            finals[re.sub(r"\b\d{4,}\b", "N", line)[:200]] += 1
            inside = False
    return sum(finals.values()), [f"{n} × {line}" for line, n in finals.most_common(most)]


# --- The run ----------------------------------------------------------------------------------------------


def print_report(rows: list[Row], header: list[str], workdir: Path) -> None:
    print()
    for line in header:
        print(line)
    print()
    print("| scenario | target | figures | result |")
    print("|---|---|---|---|")
    for row in rows:
        result = {True: "met", False: "**NOT met**", None: "not run"}[row.met]
        print(f"| {row.scenario} | {row.target} | {row.figures} | {result} |")
    print()
    for row in rows:
        if row.details:
            print(f"{row.scenario}:")
            for line in row.details:
                print(f"  - {line}")
    for name in ("gunicorn.log", "worker.log"):
        count, examples = tracebacks(workdir / name)
        print(f"\n{name}: {count} traceback(s)")
        for example in examples:
            print("    " + example.replace("\n", "\n    "))


def main() -> None:
    args = parse_args()
    workdir = Path(args.dir)
    workdir.mkdir(parents=True, exist_ok=True)
    run_id = uuid.uuid4().hex[:8]
    rows = {
        "hit-ratio": Row("page-cache hit ratio, a member commenting every 2 s on another article",
                         "≥ 90% of anonymous reads are hits"),
        "redis-stop": Row("Redis stopped 20 s", "≥ 99% of anonymous reads 200; the member stays logged in; "
                          "comments meanwhile saved and acknowledged"),
        "redis-login": Row("a login while Redis is stopped (not in the issue's table)",
                           "within 3 s, the member is let in (302) or told that signing in is paused (503), "
                           "never a 429 or an error"),
        "redis-freeze": Row("Redis frozen 10 s (SIGSTOP)", "every request answered within 3 s"),
        "postgres": Row("PostgreSQL stopped 15 s", "cached pages served; the rest branded 503s; first 200 "
                        "within 3 s of its return; 0 acknowledged writes lost; 0 duplicates; "
                        "/healthz/ready 503"),
        "smtp-hang": Row("SMTP hanging 15 s (accepts, never answers)", "a reply and a decision answered "
                         "within 3 s"),
        "smtp": Row("SMTP refusing 20 s", "0 responses 5xx; 0 e-mails lost: all delivered within 2 minutes "
                    "of its return"),
    }  # fmt: skip
    scenario_of = {"smtp-hang": "smtp", "redis-login": "redis-stop"}
    wanted = [key for key in rows if scenario_of.get(key, key) in args.only]
    command = shlex.join(["python", "-m", "tests.bench.faults", *sys.argv[1:]])
    header = [
        f"make faults, {datetime.now(UTC):%d %B %Y %H:%M} UTC: `{command}`",
        f"Machine: {run.machine()}; load average {os.getloadavg()[0]:.1f} before the run",
    ]
    postgres = PostgresServer(workdir / "postgres", free_port(), log=workdir / "postgres.log")
    redis = RedisServer(workdir / "redis", free_port())
    smtp = MailServer(free_port())
    args.port = free_port()
    processes: list[subprocess.Popen] = []
    traffic = None
    try:
        postgres.init()
        postgres.start()
        redis.start()
        smtp.start()
        env = environment(args, workdir, postgres, redis, smtp.port)
        started = time.monotonic()
        prepared = run.prepare(args, env, workdir)
        site = seed_people(run_id, prepared, args.port)
        from django.db import connections

        connections.close_all()
        processes.append(run.start_gunicorn(args, env, workdir))
        processes.append(start_worker(env, workdir))
        ready_after = wait_until_ready(args.port, 60)
        header.append(
            f"Server: gunicorn {args.workers} sync workers, DEBUG off, PAGE_CACHE_SECONDS={args.page_cache}; "
            f"Celery worker with beat (mail retry after {60} s, sweep every {60} s: the defaults); "
            f"PostgreSQL, Redis and SMTP (aiosmtpd) of its own"
        )
        header.append(
            "Data: " + ", ".join(f"{n:,} {name}" for name, n in run.counts().items())
            + f"; set up in {time.monotonic() - started:.0f} s; /healthz/ready 200 "
            + ("never (no heartbeat within 60 s)" if ready_after is None else f"after {ready_after:.0f} s")
        )  # fmt: skip
        connections.close_all()
        traffic = Traffic(site, args.readers)
        traffic.start()
        header.append(f"Traffic: {args.readers} anonymous readers back to back over {len(site.reader_paths)} "
                      "pages, a member's page every 0.5 s, a comment every 2 s, an uncached page every "
                      "0.25 s, /healthz/ready every 1 s")  # fmt: skip
        time.sleep(5)  # the readers fill the cache
        bench = Bench(args, site, traffic, postgres, redis, smtp)
        steps = {
            "hit-ratio": lambda: bench.hit_ratio(rows["hit-ratio"]),
            "redis-stop": lambda: bench.redis_stop(rows["redis-stop"], rows["redis-login"]),
            "redis-freeze": lambda: bench.redis_freeze(rows["redis-freeze"]),
            "postgres": lambda: bench.postgres_stop(rows["postgres"]),
            "smtp": lambda: bench.mail(rows["smtp-hang"], rows["smtp"]),
        }
        for name in SCENARIOS:
            if name not in args.only:
                continue
            try:
                steps[name]()
            except Exception as error:  # one scenario that cannot run must not hide the others' figures
                traceback.print_exc()
                row = rows[name]
                row.met, row.figures = False, f"could not run: {type(error).__name__}: {error}"
            time.sleep(5)  # every dependency is back: let the site settle before the next one breaks
    except Exception as error:
        traceback.print_exc()
        header.append(f"The run stopped early: {type(error).__name__}: {error}")
        for key in wanted:
            if rows[key].met is None:
                rows[key].met, rows[key].figures = False, "could not run (see above)"
    finally:
        if traffic is not None:
            traffic.stop()
            if traffic.writes and postgres.is_running():
                header.append(whole_run(traffic.writes, run_id))
        redis.thaw()
        for process in processes:
            stop_process(process, seconds=20)
        smtp.stop()
        redis.stop()
        if "django.db" in sys.modules:
            sys.modules["django.db"].connections.close_all()
        postgres.destroy()
        shutil.rmtree(workdir / "static", ignore_errors=True)
        for schedule in workdir.glob("beat-schedule*"):  # the clock's shelf: .dat, .dir, .bak beside it
            schedule.unlink(missing_ok=True)
        print_report([rows[key] for key in wanted], header, workdir)
    sys.exit(0 if all(rows[key].met for key in wanted) else 1)


if __name__ == "__main__":
    main()
