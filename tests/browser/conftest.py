"""Real-browser tests: Playwright drives Debian's chromium against pytest-django's live server.

They run in a pytest run of their own (`make test-browser`, which `make test` runs after the unit suite):
a plain `pytest` leaves this folder out, and `pytest tests/browser` (or a file or test in it) runs it.
Playwright's sync API keeps an event loop running in the test thread, so Django's ORM must be allowed
there: DJANGO_ALLOW_ASYNC_UNSAFE=true, set for this run only (never for the unit suite).

Nothing downloads a browser: Playwright launches the chromium at LDNSITE_CHROMIUM (default
/usr/bin/chromium), and the run fails with the install command when it is missing. One browser per
session, a fresh context (cookies, storage) per page a test opens. When a test fails, a screenshot of
each page it visited is written to test-artifacts/browser/<test>/ (ignored by git).
"""

import os
import re
import shutil
from pathlib import Path

import pytest

BROWSER_TESTS = Path(__file__).resolve().parent
ARTIFACTS = BROWSER_TESTS.parents[1] / "test-artifacts" / "browser"
CHROMIUM = os.environ.get("LDNSITE_CHROMIUM", "/usr/bin/chromium")
INSTALL_HINT = (
    f"The browser tests need Debian's chromium at {CHROMIUM} and it is not there. Install it with\n"
    "    sudo apt-get update && sudo apt-get install -y chromium\n"
    "(or point LDNSITE_CHROMIUM at another chromium binary). Playwright never downloads a browser here."
)
TIMEOUT_MS = 10_000


def _named_on_command_line(config) -> bool:
    """True when the command line names this folder or something in it (`pytest tests/browser/...`)."""
    for arg in config.args:
        path = Path(config.invocation_params.dir, arg.split("::")[0]).resolve()
        if path == BROWSER_TESTS or BROWSER_TESTS in path.parents:
            return True
    return False


def pytest_ignore_collect(collection_path, config):
    # A plain `pytest` (testpaths = tests) is the unit suite: the browser tests wait for their own run.
    if not _named_on_command_line(config):
        return True
    return None


def pytest_configure(config):
    if _named_on_command_line(config):
        os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser(django_db_setup):
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        pytest.exit(INSTALL_HINT, returncode=pytest.ExitCode.TESTS_FAILED)  # once, not once per test
    from django.db import connections
    from playwright.sync_api import sync_playwright

    shutil.rmtree(ARTIFACTS, ignore_errors=True)  # only this run's failures
    # Django keeps database connections per thread, but per context once an event loop runs in the thread,
    # as Playwright's does from here on: the connections the tests now get are new objects, and must carry
    # the migrations' data that serialized rollback restores after each test's flush.
    serialized = {conn.alias: getattr(conn, "_test_serialized_contents", None) for conn in connections.all()}
    playwright = sync_playwright().start()
    for alias, contents in serialized.items():
        if contents is not None:
            connections[alias]._test_serialized_contents = contents
    args = ["--no-sandbox"] if os.geteuid() == 0 else []  # chromium's sandbox refuses to run as root
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=args)
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture(autouse=True)
def _migration_data_restored(django_db_serialized_rollback):
    """The live server needs committed data, so these tests empty the database after each one; this puts
    back what the migrations made (the Editors and Moderators groups and their permissions)."""


class Pages:
    """Opens pages, each in a fresh browser context (a different person), and remembers what they visited."""

    def __init__(self, browser, base_url: str):
        self.browser = browser
        self.base_url = base_url
        self.contexts = []
        self.visits: list[tuple[str, str]] = []  # (who, url), in order

    def open(self, who: str = "reader", **context_options):
        from playwright.sync_api import expect

        expect.set_options(timeout=TIMEOUT_MS)
        context = self.browser.new_context(base_url=self.base_url, **context_options)
        context.set_default_timeout(TIMEOUT_MS)
        self.contexts.append((who, context))
        page = context.new_page()
        page.on("framenavigated", lambda frame: self._visited(who, page, frame))
        return page

    def _visited(self, who, page, frame) -> None:
        if frame == page.main_frame and frame.url.startswith(self.base_url):
            self.visits.append((who, frame.url))

    def save_screenshots(self, folder: Path) -> None:
        """The last state of every open page, then each page visited, reloaded (GET) as the same person."""
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        lines = []
        for who, context in self.contexts:
            for n, page in enumerate(context.pages):
                _try(page.screenshot, path=folder / f"last-{who}-{n}.png", full_page=True)
        for n, (who, url) in enumerate(self.visits, start=1):
            name = f"{n:02d}-{who}-{_slug(url.removeprefix(self.base_url))}.png"
            lines.append(f"{name}  {url}")
            page = dict(self.contexts)[who].new_page()
            _try(page.goto, url, timeout=5_000)
            _try(page.screenshot, path=folder / name, full_page=True)
            page.close()
        (folder / "visited.txt").write_text("\n".join(lines) + "\n")

    def close(self) -> None:
        for _, context in self.contexts:
            _try(context.close)


def _try(action, *args, **kwargs) -> None:
    try:
        action(*args, **kwargs)
    except Exception as exc:  # a screenshot that cannot be taken must not hide the test's own failure
        print(f"screenshot skipped: {exc}")


def _slug(path: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-")[:150] or "home"


@pytest.fixture
def pages(request, browser, live_server, settings):
    """pages.open(who) -> a Playwright page in a new context on the live server, which is the site's address
    (DJANGO_SITE_URL): the links in its e-mail lead there."""
    settings.SITE_URL = live_server.url
    opened = Pages(browser, live_server.url)
    yield opened
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        folder = ARTIFACTS / _slug(request.node.nodeid.split("::", 1)[-1])
        opened.save_screenshots(folder)
        print(f"screenshots of the pages visited: {folder}")
    opened.close()
