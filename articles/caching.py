"""What the page cache (ldnsite.pagecache) may share of this app's pages, and which pages a change refreshes.

Search, the sitemap and robots.txt register themselves (ldnsite.search); a change here refreshes them too.
"""

from django.db.models import Min
from django.urls import reverse
from django.utils import timezone

from ldnsite import pagecache

from .models import Article, PublicationStatus, Resource, Study
from .views import StudyListView

# The pages that list articles, and those that list or count studies (the home page does both).
ARTICLE_LISTINGS = (
    "home",
    "articles:article_list",
    "articles:article_feed",
    "articles:article_atom_feed",
    "search:search",
    "sitemap",
)
STUDY_LISTINGS = (
    "home",
    "articles:study_list",
    "articles:study_feed",
    "articles:study_atom_feed",
    "search:search",
    "sitemap",
)


def is_published(entry: Article | Study) -> bool:
    # Scheduled ones count too: their own publication is the schedule's business, and a change to one
    # before then refreshes a little early, never too late.
    return entry.status == PublicationStatus.PUBLISHED


def article_pages(article: Article) -> list[str]:
    """The article's page, the lists of articles, and the pages of the studies it discusses (which link to
    it)."""
    studies = Study.objects.filter(articles=article).only("slug")
    return [
        article.get_absolute_url(),
        *map(reverse, ARTICLE_LISTINGS),
        *(study.get_absolute_url() for study in studies),
    ]


def study_pages(study: Study) -> list[str]:
    """The study's page and citation files, the lists and counts of studies, and the pages of the articles
    that discuss it (which show its card and the infographic drawn from it)."""
    slug = {"slug": study.slug}
    articles = Article.objects.filter(studies=study).only("slug")
    return [
        study.get_absolute_url(),
        reverse("articles:study_cite_ris", kwargs=slug),
        reverse("articles:study_cite_bibtex", kwargs=slug),
        *map(reverse, STUDY_LISTINGS),
        *(article.get_absolute_url() for article in articles),
    ]


def next_publication():
    """When the next article or study scheduled for later goes public, or None."""
    now = timezone.now()
    times = [
        model.objects.filter(status=PublicationStatus.PUBLISHED, published_at__gt=now).aggregate(
            at=Min("published_at")
        )["at"]
        for model in (Article, Study)
    ]
    return min((at for at in times if at is not None), default=None)


def register() -> None:
    comments = {"comments": pagecache.page_number}  # the page of comments (ldnsite.comments)
    sorts = {*StudyListView.SORTS, *(f"-{key}" for key in StudyListView.SORTS)}
    pagecache.register_page("home")
    pagecache.register_page("articles:article_list", parameters={"page": pagecache.page_number})
    pagecache.register_page("articles:article_detail", parameters=comments)
    pagecache.register_page("articles:study_list", parameters={"page": pagecache.page_number, "sort": sorts})
    pagecache.register_page("articles:study_detail", parameters=comments)
    for name in (
        "articles:study_cite_ris",
        "articles:study_cite_bibtex",
        "articles:article_feed",
        "articles:article_atom_feed",
        "articles:study_feed",
        "articles:study_atom_feed",
    ):
        pagecache.register_page(name)

    pagecache.register(Article, pages=article_pages, when=is_published, before=True, m2m=["studies"])
    pagecache.register(Study, pages=study_pages, when=is_published, before=True)
    pagecache.register(
        Resource,
        pages=lambda resource: [resource.article.get_absolute_url()],
        when=lambda resource: is_published(resource.article),
    )
    pagecache.register_schedule(next_publication, models=[Article, Study])
