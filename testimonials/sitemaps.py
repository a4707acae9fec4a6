"""This app's part of /sitemap.xml (composed in ldnsite/urls.py): its pages and approved experiences."""

from ldnsite.search.sitemaps import NamedPagesSitemap, SiteUrlSitemap

from .models import Testimonial


class PagesSitemap(NamedPagesSitemap):
    url_names = ["testimonials:list", "testimonials:summary"]


class TestimonialSitemap(SiteUrlSitemap):
    def items(self):
        return (
            Testimonial.objects.public()
            .only("pk", "approved_at", "moderated_at")
            .order_by("-approved_at", "-pk")
        )

    def lastmod(self, item: Testimonial):
        # An approved edit changes the public text and sets moderated_at; the first approval sets both.
        return item.moderated_at or item.approved_at


SITEMAPS = {
    "experience-pages": PagesSitemap,
    "testimonials": TestimonialSitemap,
}
