"""Small facts about an HTTP request that several apps need (rate limits, the audit log)."""

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
