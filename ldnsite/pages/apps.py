from django.apps import AppConfig


class PagesConfig(AppConfig):
    """The site's own pages (about, editorial policy, privacy, terms, guidelines, contact), by editors.

    A shared app: it names no domain app. What the privacy page and the guidelines say about retention and
    limits comes from the shared code and settings that enforce them (facts.py).
    """

    name = "ldnsite.pages"
    label = "pages"
    verbose_name = "Site pages"

    def ready(self):
        from django.urls import reverse

        from ldnsite import pagecache
        from ldnsite.privileges import add_editor_permission

        from .managers import EDIT_PERMISSION
        from .models import PageSlug, SitePage

        add_editor_permission(EDIT_PERMISSION)
        for slug in PageSlug:
            if slug != PageSlug.CONTACT:  # the contact page holds a form with a CSRF token: never shared
                pagecache.register_page(slug.url_name)
        pagecache.register(SitePage, pages=lambda page: [page.get_absolute_url(), reverse("sitemap")])
