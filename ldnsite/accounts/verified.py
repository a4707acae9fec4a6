"""Whether a member has confirmed an e-mail address: what writing anything on the site (a comment, a report,
an experience, an upload in the editor) requires."""

from allauth.account.models import EmailAddress


def has_verified_email(user) -> bool:
    """May this member write? Read from the database on every call, never from a cache: a member who has just
    confirmed their address may write at once."""
    if not user.is_authenticated:
        return False
    return EmailAddress.objects.filter(user_id=user.pk, verified=True).exists()


def request_has_verified_email(request) -> bool:
    """has_verified_email for the request's member, asked at most once per request (a page with many
    controls that need it, or that read it already with other facts: see `remember_verified`)."""
    if not hasattr(request, "_has_verified_email"):
        request._has_verified_email = has_verified_email(request.user)
    return request._has_verified_email


def remember_verified(request, verified: bool) -> None:
    """What a view read of the member's confirmed address along with other facts, for the rest of the
    request."""
    request._has_verified_email = verified
