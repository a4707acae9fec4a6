"""Rule: a privilege is used only in a session that passed two-factor since login.

A moderator and editor who signed in with their password alone (a phished password, or an account that has
not set up its authenticator yet) crawls the site and finds none of the planted hidden markers: no draft, no
pending, rejected or withdrawn story, no held or hidden comment, no report. After a real login with password
and code, the same crawl finds every one of them, so the test fails if privileges simply vanish too.
"""

import io
import re
import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.test import Client
from PIL import Image

from ldnsite.comments import moderation as comment_moderation
from ldnsite.comments.models import Thread
from testimonials import moderation as testimonial_moderation
from tests.factories import story

PASSWORD = "correct-horse-9"
STAFF_EMAIL = "sam@example.org"
MARKERS = {
    "draft article": "zqdraftarticlezq",
    "draft study": "zqdraftstudyzq",
    "pending story": "zqpendingstoryzq",
    "rejected story": "zqrejectedstoryzq",
    "withdrawn story": "zqwithdrawnstoryzq",
    "pending revision": "zqpendingrevisionzq",
    "held comment": "zqheldcommentzq",
    "hidden comment": "zqhiddencommentzq",
    "report note": "zqreportnotezq",
}
LINK = re.compile(r'href="(/[^"#]*)"')
NOT_FOLLOWED = ("/accounts/logout", "/accounts/delete", "/static/", "/media/", "/comments/unsubscribe/")
CRAWL_LIMIT = 150
# Every hidden item also holds this word, so a search for it would list them; the markers themselves are never
# typed into a search box (the results page repeats what was searched for).
SEARCH_WORD = "quokka"


@pytest.fixture
def planted(make_user, make_moderator, make_article, make_study, settings):
    """Hidden content of every kind, each holding its marker, and the staff account that could see it."""
    settings.COMMENTS_HOLD_FIRST_COMMENT = True
    staff = make_user(
        email=STAFF_EMAIL, display_name="Staff Sam", groups=["Moderators", "Editors"], is_staff=True
    )
    other_moderator = make_moderator(display_name="Other Moderator", is_staff=False)
    author = make_user(display_name="Story Author")
    newcomer = make_user(display_name="New Member")
    reporter = make_user(display_name="Careful Reader")

    study = make_study()
    article = make_article(studies=[study])
    make_article(published=False, title=f"Coming soon {SEARCH_WORD} {MARKERS['draft article']}")
    make_study(published=False, title=f"Unpublished trial {SEARCH_WORD} {MARKERS['draft study']}")

    stories = {}
    for kind in ("pending", "rejected", "withdrawn", "approved"):
        title = f"My {kind} story {SEARCH_WORD} {MARKERS.get(kind + ' story', '')}".strip()
        stories[kind] = testimonial_moderation.submit(
            author=author, content=story(title=title), is_carer=False
        )
    testimonial_moderation.reject(stories["rejected"], by=other_moderator, reason="Please leave out names.")
    for kind in ("withdrawn", "approved"):
        testimonial_moderation.approve(stories[kind], by=other_moderator)
    testimonial_moderation.withdraw(stories["withdrawn"], by=author)
    stories["approved"].refresh_from_db()
    testimonial_moderation.edit(
        stories["approved"],
        by=author,
        content=story(title=f"Retitled {SEARCH_WORD} {MARKERS['pending revision']}"),
    )

    thread = Thread.objects.for_subject(article)
    shown = comment_moderation.submit(thread, author=reporter, body="A comment everyone can read.")
    comment_moderation.publish(shown, by=other_moderator)
    hidden = comment_moderation.submit(
        thread, author=author, body=f"Rude words {SEARCH_WORD} {MARKERS['hidden comment']}"
    )
    comment_moderation.publish(hidden, by=other_moderator)
    comment_moderation.hide(hidden, by=other_moderator, reason="Reported as abuse.")
    comment_moderation.submit(
        thread, author=newcomer, body=f"My first words {SEARCH_WORD} {MARKERS['held comment']}"
    )
    comment_moderation.report(
        shown, by=author, reason="spam", note=f"Looks like an advert {MARKERS['report note']}"
    )
    return {"staff": staff, "article": article, "stories": stories}


def log_in(client: Client, code_for: str | None = None) -> None:
    response = client.post("/accounts/login/", {"login": STAFF_EMAIL, "password": PASSWORD})
    assert response.status_code == 302
    if code_for is not None:
        code = format_hotp_value(hotp_value(code_for, int(time.time()) // 30))
        response = client.post("/accounts/2fa/authenticate/", {"code": code})
        assert response.status_code == 302


def crawl(client: Client, start: list[str]) -> dict[str, str]:
    """GET every same-site link reachable from `start`; the text of each page that answered 200."""
    seen: dict[str, str] = {}
    queue = list(start)
    while queue and len(seen) < CRAWL_LIMIT:
        url = queue.pop(0)
        if url in seen or url.startswith(NOT_FOLLOWED):
            continue
        response = client.get(url)
        seen[url] = response.content.decode(errors="replace") if response.status_code == 200 else ""
        queue.extend(link.replace("&amp;", "&") for link in LINK.findall(seen[url]))
    return seen


def start_urls(planted) -> list[str]:
    stories = planted["stories"]
    from articles.models import Article, Study

    drafts = [a.get_absolute_url() for a in Article.objects.exclude(status="published")]
    drafts += [s.get_absolute_url() for s in Study.objects.exclude(status="published")]
    return [
        "/",
        "/articles/",
        "/studies/",
        "/testimonials/",
        planted["article"].get_absolute_url(),
        *drafts,
        *(f"/testimonials/{stories[kind].pk}/" for kind in stories),
        "/moderation/",
        "/admin/",
        "/admin/testimonials/testimonial/",
        "/admin/comments/comment/",
        "/admin/comments/report/",
        "/feeds/articles/",
        "/sitemap.xml",
        f"/search/?q={SEARCH_WORD}",
    ]


def markers_found(pages: dict[str, str]) -> set[str]:
    text = "\n".join(pages.values())
    return {name for name, marker in MARKERS.items() if marker in text}


def leaks(pages: dict[str, str]) -> dict[str, list[str]]:
    """Each page that shows a marker, with the names of the markers it shows."""
    shown = {url: [name for name, marker in MARKERS.items() if marker in text] for url, text in pages.items()}
    return {url: names for url, names in shown.items() if names}


@pytest.mark.django_db
def test_password_alone_gives_a_moderator_and_editor_no_extra_sight(planted):
    client = Client()
    log_in(client)

    pages = crawl(client, start_urls(planted))

    assert len(pages) > 20
    assert leaks(pages) == {}


@pytest.mark.django_db
def test_after_password_and_code_the_same_crawl_finds_every_marker(planted):
    secret = generate_totp_secret()
    TOTP.activate(planted["staff"], secret)
    client = Client()
    log_in(client, code_for=secret)

    pages = crawl(client, start_urls(planted))

    assert markers_found(pages) == set(MARKERS)


@pytest.mark.django_db
def test_without_two_factor_hidden_things_are_not_found_rather_than_forbidden(planted):
    client = Client()
    log_in(client)
    stories = planted["stories"]

    for kind in ("pending", "rejected", "withdrawn"):
        assert client.get(f"/testimonials/{stories[kind].pk}/").status_code == 404
    from articles.models import Article

    draft = Article.objects.exclude(status="published").get()
    assert client.get(draft.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_without_two_factor_an_editor_cannot_upload_images(planted, settings):
    client = Client()
    log_in(client)
    image = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(image, format="PNG")
    image.seek(0)
    image.name = "red.png"

    response = client.post("/markdownx/upload/", {"image": image})

    assert response.status_code == 403
    assert not (settings.MEDIA_ROOT.exists() and any(p.is_file() for p in settings.MEDIA_ROOT.rglob("*")))


@pytest.mark.django_db
def test_without_two_factor_moderation_decisions_are_refused(planted):
    client = Client()
    log_in(client)
    pending = planted["stories"]["pending"]

    response = client.post(f"/moderation/testimonials/{pending.pk}/approve/", {"seen": pending.fingerprint})

    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert "/accounts/2fa/" in response.url
    pending.refresh_from_db()
    assert pending.status == "pending"


@pytest.mark.django_db
def test_staff_pages_prompt_for_two_factor_and_member_pages_do_not(planted):
    client = Client()
    log_in(client)

    article = client.get(planted["article"].get_absolute_url())
    moderation = client.get("/moderation/")

    assert moderation.status_code == 302 and moderation.url.startswith("/accounts/2fa/")
    assert article.status_code == 200
    assert b"two-factor" not in article.content.lower()
