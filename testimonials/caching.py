"""What the page cache (ldnsite.pagecache) may share of this app's pages, and what a change refreshes."""

from django.urls import reverse

from ldnsite import pagecache

from .forms import SORTS, TestimonialFilterForm
from .models import Testimonial

Status = Testimonial.Status
# The pages that list, count or find approved testimonials.
LISTINGS = ("testimonials:list", "testimonials:summary", "search:search", "sitemap")


def was_public(testimonial: Testimonial) -> bool:
    """Approved, or withdrawn after approval (approved_at stays): a pending, rejected or resubmitted story,
    or one withdrawn before a moderator saw it, was never on a public page and refreshes nothing."""
    return testimonial.status == Status.APPROVED or (
        testimonial.status == Status.WITHDRAWN and testimonial.approved_at is not None
    )


def testimonial_pages(testimonial: Testimonial) -> list[str]:
    return [testimonial.get_absolute_url(), *map(reverse, LISTINGS)]


def register() -> None:
    filters = {
        name: [value for value, _label in field.choices]  # "" (any) included: the form sends it
        for name, field in TestimonialFilterForm.base_fields.items()
    }
    pagecache.register_page(
        "testimonials:list", parameters={"page": pagecache.page_number, "sort": SORTS, **filters}
    )
    pagecache.register_page("testimonials:detail", parameters={"comments": pagecache.page_number})
    pagecache.register_page("testimonials:summary")
    pagecache.register(Testimonial, pages=testimonial_pages, when=was_public)
