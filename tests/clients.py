import time

from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.mfa.models import Authenticator
from django.test import Client

from ldnsite.mfa import holds_privileges


class PassedTwoFactorClient(Client):
    """force_login() for staff and moderators gives them an authenticator app and a session that used it,
    as after a real login with a code; the checks themselves are tested in tests/security/test_mfa.py."""

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        if holds_privileges(user):
            Authenticator.objects.get_or_create(
                user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "test"}}
            )
            session = self.session
            session[AUTHENTICATION_METHODS_SESSION_KEY] = [
                {"method": "mfa", "at": time.time(), "type": "totp"}
            ]
            session.save()
