"""Small facts about an HTTP request that several apps need (rate limits, the audit log, absolute links)."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest | None) -> str:
    """The client's address as allauth works it out (settings.ALLAUTH_TRUSTED_PROXY_COUNT and friends), or
    "-" when there is no request or no address to trust."""
    if request is None:
        return "-"
    from allauth.account.adapter import get_adapter  # it loads allauth's models: not before apps are ready

    try:
        return get_adapter(request).get_client_ip(request)
    except Exception:  # no address, or a proxy header that does not match the settings
        return "-"


# Where links point when neither DJANGO_SITE_URL nor a request names the site: mail built outside a request
# on a development machine (`make run` sets DJANGO_SITE_URL; production refuses to start without it).
DEVELOPMENT_SITE_URL = "http://127.0.0.1:8000"


def site_url(request: HttpRequest | None = None) -> str:
    """The site's address, without a trailing slash, for absolute links (embed code, feeds, sitemap, JSON-LD,
    robots.txt, e-mail): settings.SITE_URL when it is set, else the scheme and host this request came in on.

    Without a request (mail built by the worker) only settings.SITE_URL can say it."""
    if settings.SITE_URL:
        return settings.SITE_URL
    if request is not None:
        return f"{request.scheme}://{request.get_host()}"
    return DEVELOPMENT_SITE_URL


def absolute_url(path: str, request: HttpRequest | None = None) -> str:
    """`path` on this site as an absolute address (see site_url)."""
    return site_url(request) + path
