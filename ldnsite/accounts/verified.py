"""Whether a member has confirmed an e-mail address: what writing anything on the site (a comment, a report,
an experience, an upload in the editor) requires."""

from allauth.account.models import EmailAddress


def has_verified_email(user) -> bool:
    """May this member write? Read from the database on every call, never from a cache: a member who has just
    confirmed their address may write at once."""
    if not user.is_authenticated:
        return False
    return EmailAddress.objects.filter(user_id=user.pk, verified=True).exists()
