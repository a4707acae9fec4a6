"""Error pages that do not depend on the database: the branded 500 for a fault, and the branded 503 shown
while PostgreSQL is unreachable, or while signing in is paused because its rate limits cannot be counted.
(The 404 is Django's own view with templates/404.html: a missing page has a working site around it.)"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template.loader import render_to_string

from .context_processors import site

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
UNAVAILABLE_REASONS = {
    "database": "the database is unavailable",
    "sign-in": "signing in is paused: its rate limits cannot be counted without the cache",
    "not saved": "the database could not save a form, which is shown again with its text",
}
# Written without a template, for when even the template cannot be rendered.
PLAIN_UNAVAILABLE = (
    '<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>Briefly unavailable</title>'
    "</head><body><h1>Briefly unavailable</h1><p>Nothing you wrote is lost. Please try again in a minute."
    "</p></body></html>"
)
PLAIN_SERVER_ERROR = (
    '<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>Something went wrong</title>'
    "</head><body><h1>Something went wrong on our side</h1><p>This page could not be shown. Please try again"
    " later.</p></body></html>"
)


# PostgreSQL's answers that mean "not now" rather than "this query is wrong": the server is shutting down or
# starting (57P0x) or has no connection left (53300). A refused or lost connection has no SQLSTATE at all,
# and class 08 is a connection exception.
UNAVAILABLE_SQLSTATES = {"57P01", "57P02", "57P03", "53300"}


def is_database_outage(error: BaseException | None) -> bool:
    """The database cannot be reached or is not taking connections. Anything else that the database says
    (a deadlock, a cancelled query, a missing table, SQLite's "database is locked") is a fault to fix: it
    stays a 500 with its traceback in the log and in ADMINS' mail."""
    if isinstance(error, InterfaceError):  # the connection is closed
        return True
    if not isinstance(error, OperationalError):
        return False
    sqlstate = getattr(error.__cause__, "sqlstate", "not PostgreSQL")
    return sqlstate is None or sqlstate.startswith("08") or sqlstate in UNAVAILABLE_SQLSTATES


def unavailable(request: HttpRequest | None = None, *, reason: str = "database") -> HttpResponse:
    """503 with Retry-After. Rendered without the request: no session, no user, no query.

    reason: "database" (it cannot be reached) or "sign-in" (signing in, joining and password resets are
    paused while their rate limits cannot be counted)."""
    try:
        body = render_to_string("503.html", {**site(request), "reason": reason, "outage": True})
    except Exception:  # the page for a broken site must not break
        logger.exception("the 503 template failed")
        body = PLAIN_UNAVAILABLE
    return marked_unavailable(request, HttpResponse(body, status=503), reason=reason)


def marked_unavailable(request: HttpRequest | None, response: HttpResponse, *, reason: str) -> HttpResponse:
    """A 503 `response` with Retry-After, logged as one warning line: not Django's "Service Unavailable"
    error with a traceback for every request of an outage, each queued as a report to ADMINS."""
    response.status_code = 503
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    path = request.path if request is not None else "-"
    logger.warning("%s answered 503: %s", path, UNAVAILABLE_REASONS[reason])
    response._has_been_logged = True
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a database outage becomes the 503 page; anything else the branded 500 page, rendered like
    the 503 without the request (the session, the user, the cache or the database may be what failed)."""
    if is_database_outage(sys.exc_info()[1]):
        return unavailable(request)
    try:
        body = render_to_string("500.html", {**site(request), "outage": True})
    except Exception:  # the page for a broken site must not break
        logger.exception("the 500 template failed")
        body = PLAIN_SERVER_ERROR
    return HttpResponseServerError(body)
