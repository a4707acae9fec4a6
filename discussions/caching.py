"""What the page cache (ldnsite.pagecache) may share of this app's pages, and what a change refreshes."""

from django.urls import reverse

from ldnsite import pagecache

from .forms import SORTS
from .models import Category, Topic

# The pages that list or find published topics.
LISTINGS = ("discussions:list", "search:search", "sitemap")


def was_public(topic: Topic) -> bool:
    """Published, or taken down after it was (published_at stays): a held or rejected topic was never on a
    public page and refreshes nothing."""
    return topic.status == Topic.Status.PUBLISHED or topic.published_at is not None


def topic_pages(topic: Topic) -> list[str]:
    """The topic's page and the pages that list or find it (the list's every category and page share the
    list's path)."""
    return [topic.get_absolute_url(), *map(reverse, LISTINGS)]


def is_slug(value: str) -> bool:
    """A category's slug by its shape: an unknown one shows the whole list, kept under its own address (a
    fixed set would need the categories at start-up, before the database may be there)."""
    return 0 < len(value) <= 60 and value.replace("-", "").isalnum() and value.isascii()


def register() -> None:
    pagecache.register_page(
        "discussions:list",
        parameters={"page": pagecache.page_number, "category": is_slug, "sort": SORTS},
    )
    pagecache.register_page("discussions:detail", parameters={"comments": pagecache.page_number})
    pagecache.register(Topic, pages=topic_pages, when=was_public)
    pagecache.register(Category, pages=lambda category: [pagecache.EVERY_PAGE])
