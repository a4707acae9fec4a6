import functools

from django.conf import settings
from django.urls import get_script_prefix, reverse

from .http import site_url
from .privileges import is_moderator


@functools.cache
def _site_urls(script_prefix: str) -> dict[str, str]:
    # Reversed once per process (and prefix): a dozen {% url %} tags on every page cost a tenth of a page.
    return {name: reverse(url_name) for name, url_name in settings.SITE_LINKS.items()}


def site(request) -> dict:
    """The site's name, its address (for absolute links: ldnsite.http.site_url) and the addresses every page
    links to: settings.SITE_LINKS, composed by the site. `request` may be None (the error pages)."""
    return {
        "site_name": settings.SITE_NAME,
        "site_url": site_url(request),
        "site_urls": _site_urls(get_script_prefix()),
        # The header's link to the queue: shown to a moderator's account before two-factor too, so that they
        # can get there and be asked for the code (ldnsite.mfa). Worked out only when a page shows it.
        "is_moderator_account": lambda: is_moderator(request.user),
    }
