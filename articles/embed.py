"""The infographic as an image and as a small page other sites may frame.

Both are public artefacts: they start from `Article.objects.public()` and show only published studies,
whoever asks, so a draft is a 404 even for its editor. Neither touches the session, the user or the CSRF
token, so neither sets a cookie or varies on one, and shared caches may keep them for a while.
"""

import hashlib
from dataclasses import dataclass

from csp.decorators import csp_replace
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.html import escape
from django.utils.http import http_date, quote_etag
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from ldnsite.http import site_url as site_url_of

from . import infographic
from .models import Article, Study

# Long enough to spare the site when an embed is popular, short enough that unpublishing takes effect soon.
CACHE_SECONDS = 15 * 60
# The embed page puts a line of text above the picture.
EMBED_CHROME_HEIGHT = 72


@dataclass(frozen=True)
class EmbedCode:
    """What the article page offers: the HTML to paste elsewhere, and where the picture lives."""

    code: str
    svg_url: str
    embed_url: str


def public_studies(article: Article) -> list[Study]:
    """The article's published studies, strongest evidence first (one query)."""
    return list(
        Study.objects.public()
        .filter(articles=article)
        .with_evidence_level()
        .order_by("level", "-year", "title", "pk")
    )


def build_infographic(article: Article, studies: list[Study], *, site_url: str) -> infographic.Infographic:
    return infographic.build(
        article, studies, site_name=settings.SITE_NAME, article_url=site_url + article.get_absolute_url()
    )


def embed_code(article: Article, studies: list[Study], *, site_url: str) -> EmbedCode:
    """The iframe, with a fallback link and a credit line, for `article` and its published `studies`, with
    addresses on `site_url` (ldnsite.http.site_url)."""
    embed_url = reverse("articles:embed", kwargs={"slug": article.slug})
    page_url = site_url + article.get_absolute_url()
    # The size from the picture's layout alone: drawing it cost more than the rest of the article's section.
    height = infographic.height(article, studies, site_name=settings.SITE_NAME, article_url=page_url)
    article_url = escape(page_url)
    title = escape(f"The studies in brief: {article.title} ({settings.SITE_NAME})")
    # f-strings, not format_html: the result must stay plain text, escaped again when shown in the textarea.
    # The inline style is for the host page (ours never has one); a host whose CSP forbids it loses only that.
    code = (
        f'<iframe src="{escape(site_url + embed_url)}" title="{title}" width="{infographic.WIDTH}" '
        f'height="{height + EMBED_CHROME_HEIGHT}" style="max-width: 100%; border: 0" '
        'loading="lazy">\n'
        f'  <a href="{article_url}">{escape(article.title)}</a>\n'
        f"</iframe>\n"
        f'<p>Infographic: <a href="{article_url}">{escape(article.title)}</a>, '
        f"from {escape(settings.SITE_NAME)}. Not medical advice.</p>"
    )
    return EmbedCode(
        code=code,
        svg_url=reverse("articles:infographic", kwargs={"slug": article.slug}),
        embed_url=embed_url,
    )


def _published_article_with_studies(slug: str) -> tuple[Article, list[Study]]:
    article = Article.objects.public().filter(slug=slug).first()
    if article is None:
        raise Http404("No published article here.")
    studies = public_studies(article)
    if not studies:
        raise Http404("This article discusses no published study, so it has no infographic.")
    return article, studies


def _cacheable(
    request: HttpRequest, response: HttpResponse, picture: infographic.Infographic
) -> HttpResponse:
    """Public caching, with validators: the ETag hashes the body, so removing a study changes it too."""
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    etag = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
    last_modified = int(picture.data_as_of.timestamp())
    response.headers["ETag"] = etag
    response.headers["Last-Modified"] = http_date(last_modified)
    return get_conditional_response(request, etag=etag, last_modified=last_modified, response=response)


@require_safe
def infographic_svg(request: HttpRequest, slug: str) -> HttpResponse:
    article, studies = _published_article_with_studies(slug)
    picture = build_infographic(article, studies, site_url=site_url_of(request))
    response = HttpResponse(picture.svg, content_type="image/svg+xml; charset=utf-8")
    response.headers["Content-Disposition"] = f'inline; filename="{article.slug}-studies.svg"'
    return _cacheable(request, response, picture)


@require_safe
@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
def embed(request: HttpRequest, slug: str) -> HttpResponse:
    article, studies = _published_article_with_studies(slug)
    site_url = site_url_of(request)
    picture = build_infographic(article, studies, site_url=site_url)
    # No request in the context: no context processor runs, so nothing reads the session or the user.
    html = render_to_string(
        "articles/embed.html",
        {
            "article": article,
            "studies": studies,
            "rows": [{"study": study, "url": site_url + study.get_absolute_url()} for study in studies],
            "picture": picture,
            "site_name": settings.SITE_NAME,
            "article_url": site_url + article.get_absolute_url(),
            "svg_url": reverse("articles:infographic", kwargs={"slug": article.slug}),
            "disclaimer": infographic.DISCLAIMER,
        },
    )
    return _cacheable(request, HttpResponse(html), picture)
