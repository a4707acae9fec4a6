"""Audit log of authentication events on the `ldnsite.audit` logger.

Lines name the user by id only: never an e-mail address, a username, a password, a key or a token.
A failed login logs only that it failed and the client's IP (Django passes the submitted credentials to
`user_login_failed`; they are ignored here on purpose).
"""

import logging

from allauth.account import signals as account_signals
from django.contrib.auth.signals import user_logged_out, user_login_failed

from ldnsite.http import client_ip

audit = logging.getLogger("ldnsite.audit")


def _uid(user) -> str:
    return str(user.pk) if user is not None and user.pk is not None else "-"


def _log(event: str, user=None, request=None) -> None:
    audit.info("auth event=%s user=%s ip=%s", event, _uid(user), client_ip(request))


def on_logged_in(sender, request=None, user=None, **kwargs):
    _log("login", user, request)


def on_logged_out(sender, request=None, user=None, **kwargs):
    _log("logout", user, request)


def on_login_failed(sender, credentials=None, request=None, **kwargs):
    _log("login_failed", None, request)


def on_signed_up(sender, request=None, user=None, **kwargs):
    _log("signup", user, request)


def on_password_changed(sender, request=None, user=None, **kwargs):
    _log("password_changed", user, request)


def on_password_set(sender, request=None, user=None, **kwargs):
    _log("password_set", user, request)


def on_password_reset(sender, request=None, user=None, **kwargs):
    _log("password_reset", user, request)


def on_email_confirmed(sender, request=None, email_address=None, **kwargs):
    _log("email_confirmed", getattr(email_address, "user", None), request)


def on_email_changed(sender, request=None, user=None, **kwargs):
    _log("email_changed", user, request)


def connect() -> None:
    receivers = [
        (account_signals.user_logged_in, on_logged_in),
        (user_logged_out, on_logged_out),
        (user_login_failed, on_login_failed),
        (account_signals.user_signed_up, on_signed_up),
        (account_signals.password_changed, on_password_changed),
        (account_signals.password_set, on_password_set),
        (account_signals.password_reset, on_password_reset),
        (account_signals.email_confirmed, on_email_confirmed),
        (account_signals.email_changed, on_email_changed),
    ]
    for signal, receiver in receivers:
        signal.connect(receiver, dispatch_uid=f"ldnsite.audit.{receiver.__name__}")
