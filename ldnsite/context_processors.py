import functools

from django.conf import settings
from django.urls import get_script_prefix, reverse

# The addresses every page links to (header, footer, feeds), by the name templates use:
# `{{ site_urls.studies }}`.
SITE_URLS = {
    "home": "articles:home",
    "articles": "articles:article_list",
    "studies": "articles:study_list",
    "testimonials": "testimonials:list",
    "search": "search:search",
    "article_feed": "articles:article_feed",
    "study_feed": "articles:study_feed",
    "login": "account_login",
    "signup": "account_signup",
    "logout": "account_logout",
    "account": "account_email",
    "display_name": "account_display_name",
    "moderation": "moderation:queue",
    "admin": "admin:index",
}


@functools.cache
def _site_urls(script_prefix: str) -> dict[str, str]:
    # Reversed once per process (and prefix): a dozen {% url %} tags on every page cost a tenth of a page.
    return {name: reverse(view_name) for name, view_name in SITE_URLS.items()}


def site(request) -> dict:
    return {"site_name": settings.SITE_NAME, "site_urls": _site_urls(get_script_prefix())}
