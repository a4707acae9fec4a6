"""Stored XSS: payloads written through every field a user or editor can write, then every page that shows
them is re-parsed with tests.html_safety.find_dangers (a different parser from the sanitizer's)."""

import json
import re
import uuid

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model

import testimonials.models as testimonial_models
from articles import moderation as article_moderation
from articles.models import Article, Study
from ldnsite.comments import moderation as comment_moderation
from ldnsite.comments.models import Comment, Thread
from testimonials import moderation as testimonial_moderation
from tests import factories
from tests.factories import story
from tests.html_safety import find_dangers, start_tags
from tests.xss_payloads import XSS_PAYLOADS

# A spread over the whole list (every third one: 63 payloads from every section of it).
RAW_PAYLOADS = XSS_PAYLOADS[::3]
# Django's form fields refuse NUL characters outright; the raw ones still go to the preview endpoint.
PAYLOADS = [payload.replace("\x00", "") for payload in RAW_PAYLOADS]
ALL_PAYLOADS = "\n\n".join(PAYLOADS)


def test_the_spread_covers_at_least_sixty_payloads():
    assert len(PAYLOADS) >= 60
    assert len(ALL_PAYLOADS) < 5_000  # fits in one comment and one narrative


def _errors(response) -> list[str]:
    import re

    return re.findall(r'<a href="#[^"]*">([^<]*)</a>', response.content.decode())


# The site's own markup that whole-page mode reports because it cannot know it is the site's: forms that
# post to the site itself, the icon sprites, and the admin's translation catalogue script. Only start tags
# whose every attribute is one of these are let through; a payload's <form>, <form action="javascript:...">
# or <svg onload=...> has another attribute (or none) and is still reported.
FORM_ATTRS = {
    "method",
    "action",
    "id",
    "class",
    "role",
    "novalidate",
    "aria-labelledby",
    "aria-label",
    "enctype",
}
SVG_ATTRS = {
    "xmlns",
    "aria-hidden",
    "class",
    "focusable",
    "role",
    "aria-labelledby",
    "aria-describedby",
    "viewbox",
}
SVG_ATTRS |= {"width", "height", "preserveaspectratio"}
SVG_CLASSES = ("base-svgs", "theme-icon-", "summary-svg")
# A page description is text for search engines and link previews, never navigated to or run; the checker
# flags "javascript:" anywhere in a <meta content>, so an article summary that quotes a payload trips it.
TEXT_METAS = {"description", "og:description", "twitter:description", "og:title", "twitter:title"}
LINK_RELS = {"alternate", "canonical"}
# A data block (a script of a non-JavaScript type) is never run: what matters is that it ends where it should.
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def _is_site_own(tag: str, attrs: dict) -> bool:
    if tag == "form":
        action = attrs.get("action") or "/"
        return (
            bool(attrs)
            and set(attrs) <= FORM_ATTRS
            and attrs.get("method") in ("get", "post")
            and action.startswith("/")
            and not action.startswith("//")
        )
    if tag == "svg":
        return set(attrs) <= SVG_ATTRS and (attrs.get("class") or "").startswith(SVG_CLASSES)
    if tag == "meta":
        name = attrs.get("name") or attrs.get("property")
        return set(attrs) <= {"name", "property", "content"} and name in TEXT_METAS
    if tag == "script":
        return attrs == {"src": "/admin/jsi18n/"}
    if tag == "link":
        # Feed autodiscovery and the canonical address: links to the site's own pages, never loaded as code.
        href = attrs.get("href") or ""
        own = href.startswith(django_settings.SITE_URL + "/") or (
            href.startswith("/") and not href.startswith("//")
        )
        return set(attrs) <= {"rel", "type", "title", "href"} and attrs.get("rel") in LINK_RELS and own
    return False


def _without_json_ld(html: str) -> str:
    """Drop the site's JSON-LD data blocks, if each is one JSON value with no "<" that could end it early."""

    def drop(match: re.Match) -> str:
        body = match.group(1)
        if "<" in body:
            return match.group(0)
        try:
            json.loads(body)
        except ValueError:
            return match.group(0)
        return ""

    return JSON_LD.sub(drop, html)


def page_dangers(html: str) -> list[str]:
    html = _without_json_ld(html)
    for tag, attrs, raw in start_tags(html):
        if _is_site_own(tag, attrs):
            # A script stays a script, so that an inline body after it is still reported.
            html = html.replace(raw, '<script src="/static/jsi18n.js">' if tag == "script" else "<div>")
    return find_dangers(html, fragment=False)


def test_page_check_still_reports_user_forms_and_svgs():
    assert page_dangers('<form method="post" action="/accounts/logout/" class="inline-form"></form>') == []
    assert page_dangers('<form action="javascript:alert(1)"><input type=submit></form>') != []
    assert page_dangers('<form method="post" action="//evil.example/"></form>') != []
    assert page_dangers("<form><button formaction=javascript:alert(1)>x</button></form>") != []
    assert page_dangers('<svg class="base-svgs" onload="alert(1)"></svg>') != []
    assert page_dangers('<script src="/admin/jsi18n/">alert(1)</script>') != []


def assert_page_clean(client, url, *, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    dangers = page_dangers(response.content.decode())
    assert dangers == [], (url, dangers)
    return response


@pytest.fixture
def superuser(make_user):
    return make_user(display_name="Admin Ada", is_staff=True, is_superuser=True)


def experience_form(**overrides) -> dict:
    return factories.experience_form(
        **{
            **{"other_treatments": "Vitamin D", "display_as": "display_name", "publish_anyway": "on"},
            **overrides,
        }
    )


@pytest.mark.django_db
def test_testimonial_fields_written_by_a_member_are_safe_on_every_page(
    client, settings, make_user, moderator, superuser
):
    settings.TESTIMONIALS_PER_DAY_NEW_MEMBER = 1_000
    author = make_user(display_name="Writer Wren")
    client.force_login(author)
    for i, payload in enumerate(PAYLOADS):
        data = experience_form(
            title=payload,
            side_effects_other=payload,
            other_treatments=payload,
            narrative=ALL_PAYLOADS if i == 0 else payload,
        )
        response = client.post("/testimonials/new/", data)
        assert response.status_code == 302, (payload, _errors(response))
    testimonials = list(testimonial_models.Testimonial.objects.filter(author=author).order_by("pk"))
    assert len(testimonials) == len(PAYLOADS)
    assert testimonials[0].narrative == ALL_PAYLOADS  # stored as written; made safe on output

    # Before approval: the author's own pages and the moderator's queue.
    assert_page_clean(client, "/testimonials/mine/")
    for testimonial in testimonials[:5]:
        assert_page_clean(client, f"/testimonials/{testimonial.pk}/")
        assert_page_clean(client, f"/testimonials/{testimonial.pk}/edit/")
    client.force_login(moderator)
    queue = assert_page_clean(client, "/moderation/")
    assert "Writer Wren" in queue.content.decode()

    for testimonial in testimonials:
        testimonial_moderation.approve(testimonial, by=moderator, seen=testimonial.fingerprint)

    client.logout()
    for url in ["/", "/testimonials/", "/testimonials/summary/", f"/members/{author.pk}/"]:
        assert_page_clean(client, url)
    for page in range(2, len(PAYLOADS) // 20 + 2):
        assert_page_clean(client, f"/testimonials/?page={page}")
    for testimonial in testimonials:
        assert_page_clean(client, f"/testimonials/{testimonial.pk}/")

    client.force_login(superuser)
    assert_page_clean(client, "/admin/testimonials/testimonial/")
    for testimonial in testimonials[:10]:
        assert_page_clean(client, f"/admin/testimonials/testimonial/{testimonial.pk}/change/")


@pytest.mark.django_db
def test_testimonial_preview_page_renders_payloads_safely(client, settings, member):
    client.force_login(member)
    response = client.post("/testimonials/new/", experience_form(narrative=ALL_PAYLOADS, preview="1"))
    assert response.status_code == 200
    assert page_dangers(response.content.decode()) == []
    assert not testimonial_models.Testimonial.objects.exists()


@pytest.mark.django_db
def test_comment_bodies_are_safe_on_every_page(
    client, settings, make_user, make_article, moderator, superuser
):
    settings.COMMENTS_RATE_NEW_MEMBER = (1_000, 600)
    article = make_article()
    author = make_user(display_name="Commenter Cy")
    client.force_login(author)
    for payload in [ALL_PAYLOADS, *PAYLOADS]:
        response = client.post(
            f"/comments/article/{article.slug}/new/", {"body": payload, "token": str(uuid.uuid4())}
        )
        assert response.status_code == 302, (payload, _errors(response))
    comments = list(Comment.objects.filter(author=author).order_by("pk"))
    assert len(comments) == len(PAYLOADS) + 1

    # Held for a moderator: the author sees their own, the moderator sees the queue.
    assert_page_clean(client, f"/articles/{article.slug}/")
    assert_page_clean(client, f"/comments/{comments[0].pk}/edit/")
    # An edit through the form is rendered the same way.
    response = client.post(f"/comments/{comments[1].pk}/edit/", {"body": ALL_PAYLOADS})
    assert response.status_code == 302
    client.force_login(moderator)
    assert_page_clean(client, "/moderation/")

    for comment in comments:
        comment.refresh_from_db()
        if comment.status != Comment.Status.PUBLISHED:
            comment_moderation.publish(comment, by=moderator)
    reader = make_user(display_name="Reader Rae")
    comment_moderation.report(comments[0], by=reader, reason="spam")
    assert_page_clean(client, "/moderation/")  # the reported comment is shown there too

    client.logout()
    assert_page_clean(client, f"/articles/{article.slug}/")
    assert_page_clean(client, f"/members/{author.pk}/")
    client.force_login(superuser)
    assert_page_clean(client, "/admin/comments/comment/")
    assert_page_clean(client, f"/admin/comments/comment/{comments[0].pk}/change/")
    assert_page_clean(client, "/admin/comments/report/")


@pytest.mark.django_db
def test_display_names_are_safe_wherever_a_member_is_named(
    client, make_user, make_article, moderator, superuser
):
    article = make_article()
    thread = Thread.objects.for_subject(article)
    members = []
    for i, payload in enumerate(PAYLOADS):
        # Set directly: the sign-up form refuses most of these (see the next test).
        writer = make_user(display_name=f"{i:02d}{payload}"[:40])
        members.append(writer)
        published = testimonial_moderation.submit(author=writer, content=story(), is_carer=False)
        testimonial_moderation.approve(published, by=moderator)
        testimonial_moderation.submit(author=writer, content=story(title="Waiting"), is_carer=False)
        comment = comment_moderation.submit(thread, author=writer, body="A comment.")
        comment.refresh_from_db()
        if comment.status != Comment.Status.PUBLISHED:
            comment_moderation.publish(comment, by=moderator)

    urls = ["/", "/testimonials/", "/testimonials/?page=2", "/testimonials/?page=3", "/testimonials/?page=4"]
    urls += [f"/articles/{article.slug}/"]
    urls += [f"/members/{m.pk}/" for m in members]
    urls += [f"/testimonials/{t.pk}/" for t in testimonial_models.Testimonial.objects.public()]
    for url in urls:
        assert_page_clean(client, url)
    client.force_login(members[0])
    assert_page_clean(client, "/testimonials/mine/")
    assert_page_clean(client, "/testimonials/new/")
    client.force_login(moderator)
    assert_page_clean(client, "/moderation/")
    client.force_login(superuser)
    assert_page_clean(client, "/admin/accounts/user/")
    assert_page_clean(client, f"/admin/accounts/user/{members[0].pk}/change/")
    assert_page_clean(client, "/admin/testimonials/testimonial/")
    assert_page_clean(client, "/admin/comments/comment/")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "display_name", ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<b>Bold</b>"]
)
def test_signup_refuses_markup_in_display_names(client, display_name):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "newcomer@example.org",
            "display_name": display_name,
            "password1": "correct-horse-9",
            "password2": "correct-horse-9",
        },
    )
    assert response.status_code == 200
    assert not get_user_model().objects.filter(email="newcomer@example.org").exists()
    assert page_dangers(response.content.decode()) == []


def article_form(i: int, payload: str) -> dict:
    return {
        "title": payload,
        "slug": f"xss-{i}",
        "summary": payload,
        "body": ALL_PAYLOADS if i == 0 else payload,
        "last_reviewed_on": "",
        "resources-TOTAL_FORMS": "1",
        "resources-INITIAL_FORMS": "0",
        "resources-0-position": "0",
        "resources-0-kind": "registry",
        "resources-0-title": payload,
        "resources-0-url": "https://clinicaltrials.gov/study/NCT00501696",
        "resources-0-note": payload,
    }


@pytest.mark.django_db
def test_article_fields_written_in_the_admin_are_safe_on_every_page(client, editor):
    client.force_login(editor)
    for i, payload in enumerate(PAYLOADS):
        response = client.post("/admin/articles/article/add/", article_form(i, payload))
        assert response.status_code == 302, (payload, response.content.decode()[:3000])
    articles = list(Article.objects.order_by("pk"))
    assert len(articles) == len(PAYLOADS)

    assert_page_clean(client, "/admin/articles/article/")
    for article in articles[:10]:
        assert_page_clean(client, f"/admin/articles/article/{article.pk}/change/")
        assert_page_clean(client, f"/articles/{article.slug}/")  # the editor's draft preview, if any
    for article in articles:
        article_moderation.publish(article, by=editor)

    client.logout()
    for url in ["/", "/articles/", "/articles/?page=2", "/articles/?page=3"]:
        assert_page_clean(client, url)
    for article in articles:
        assert_page_clean(client, f"/articles/{article.slug}/")


def study_form(i: int, payload: str) -> dict:
    return {
        "title": payload,
        "slug": f"xss-study-{i}",
        "authors": payload,
        "journal": payload,
        "year": "2010",
        "citation_details": payload,
        "doi": "",
        "pmid": "",
        "registry_id": "",
        "design": "rct_crossover",
        "populations": ["rrms"],
        "setting": payload,
        "participants_enrolled": "80",
        "participants_completed": "60",
        "dose": payload,
        "comparator": payload,
        "duration": payload,
        "outcomes_measured": payload,
        "main_result": ALL_PAYLOADS if i == 0 else payload,
        "adverse_events": payload,
        "limitations": payload,
        "funding": payload,
        "plain_summary": ALL_PAYLOADS if i == 1 else payload,
        "checked_facts": ["citation"],
    }


@pytest.mark.django_db
def test_study_fields_written_in_the_admin_are_safe_on_every_page(client, editor, make_article):
    client.force_login(editor)
    for i, payload in enumerate(PAYLOADS):
        response = client.post("/admin/articles/study/add/", study_form(i, payload))
        assert response.status_code == 302, (payload, response.content.decode()[:3000])
    studies = list(Study.objects.order_by("pk"))
    assert len(studies) == len(PAYLOADS)

    assert_page_clean(client, "/admin/articles/study/")
    for study in studies[:10]:
        assert_page_clean(client, f"/admin/articles/study/{study.pk}/change/")
    for study in studies:
        article_moderation.publish(study, by=editor)
    article = make_article(studies=studies[:10])

    client.logout()
    for url in ["/", "/studies/", "/studies/?sort=year", "/studies/?sort=n"]:
        assert_page_clean(client, url)
    assert_page_clean(client, f"/articles/{article.slug}/")
    for study in studies:
        assert_page_clean(client, f"/studies/{study.slug}/")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["editor", "member"])
def test_markdown_preview_endpoint_returns_safe_fragments(client, settings, editor, member, role):
    settings.EDITOR_PREVIEW_RATE_MEMBER = (1_000, 60)
    client.force_login(editor if role == "editor" else member)
    for payload in ["\n\n".join(RAW_PAYLOADS), *RAW_PAYLOADS]:
        response = client.post("/markdownx/markdownify/", {"content": payload})
        assert response.status_code == 200
        assert find_dangers(response.content.decode(), fragment=True) == [], payload
