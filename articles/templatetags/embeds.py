from django import template
from django.utils import timezone

from articles import metadata
from articles.embed import EmbedCode, embed_code
from articles.models import Article
from ldnsite import pagecache

register = template.Library()


@register.simple_tag(takes_context=True)
def article_embed_code(context, article: Article) -> EmbedCode | None:
    """The embed code for a published article with at least one published study, else None.

    Works on the studies the article page has already prefetched (editors' include drafts), so it costs no
    query; it applies the same test as `public()`, which the embed views themselves start from.
    """
    if not article.is_published or article.published_at > timezone.now():
        return None
    studies = metadata.public_studies(article)
    if not studies:
        return None
    # Drawing the picture to learn its height costs more than the rest of the page: keep the result until
    # the article's page changes (a change to the article or to a study it discusses refreshes it).
    # Its addresses are on the site's address (ldnsite.http.site_url), which may be the request's host.
    site_url = context["site_url"]
    return pagecache.remember(
        ("embed-code", site_url, article.pk),
        lambda: embed_code(article, studies, site_url=site_url),
        page=article.get_absolute_url(),
    )
