"""Error pages that do not depend on the database: the branded 503 shown while PostgreSQL is unreachable, or
while signing in is paused because its rate limits cannot be counted."""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views import defaults

from .context_processors import site

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
# Written without a template, for when even the template cannot be rendered.
PLAIN_UNAVAILABLE = (
    '<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>Briefly unavailable</title>'
    "</head><body><h1>Briefly unavailable</h1><p>Nothing you wrote is lost. Please try again in a minute."
    "</p></body></html>"
)


def is_database_outage(error: BaseException | None) -> bool:
    """A lost or refused database connection (not a bug in a query: those stay 500s)."""
    return isinstance(error, OperationalError | InterfaceError)


def unavailable(request: HttpRequest | None = None, *, reason: str = "database") -> HttpResponse:
    """503 with Retry-After. Rendered without the request: no session, no user, no query.

    reason: "database" (it cannot be reached) or "sign-in" (signing in, joining and password resets are
    paused while their rate limits cannot be counted)."""
    try:
        body = render_to_string("503.html", {**site(request), "reason": reason, "outage": True})
    except Exception:  # the page for a broken site must not break
        logger.exception("the 503 template failed")
        body = PLAIN_UNAVAILABLE
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a database outage becomes the 503 page; anything else is Django's plain 500."""
    if is_database_outage(sys.exc_info()[1]):
        return unavailable(request)
    return defaults.server_error(request)


class DatabaseOutageLogFilter(logging.Filter):
    """On django.request: a request answered with the 503 page while the database is unreachable is logged
    as one line, not a traceback (and is not mailed to ADMINS, whose mail could not be queued anyway)."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if is_database_outage(error):
            record.msg = "%s: database unavailable (%s)"
            record.args = (getattr(record, "request", None) and record.request.path, error)
            record.exc_info = record.exc_text = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True
