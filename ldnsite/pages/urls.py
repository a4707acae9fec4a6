from django.urls import path

from . import views
from .models import PageSlug

app_name = "pages"

urlpatterns = [
    *(
        path(f"{slug}/", views.site_page, {"slug": slug}, name=slug.replace("-", "_"))
        for slug in PageSlug.values
        if slug != PageSlug.CONTACT
    ),
    path("contact/", views.contact, name="contact"),
    path("contact/sent/", views.contact_sent, name="contact_sent"),
]
