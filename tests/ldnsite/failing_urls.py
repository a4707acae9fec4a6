"""The site's URLs plus a page that always fails, for the 500 page's tests (pytest.mark.urls)."""

from django.http import HttpRequest
from django.urls import path

from ldnsite.urls import handler500
from ldnsite.urls import urlpatterns as site_urlpatterns

__all__ = ["handler500", "urlpatterns"]


def fails(request: HttpRequest):
    raise RuntimeError("a fault with an internal detail: table secret_things")


urlpatterns = [path("fails/", fails), *site_urlpatterns]
