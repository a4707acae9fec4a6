"""Reading member experiences: only approved ones reach the public, always labelled, never among evidence."""

import re
import uuid
from decimal import Decimal

import pytest
from django.utils import timezone

from ldnsite.comments.models import Comment, Thread
from ldnsite.comments.texts import text_fields
from testimonials import moderation
from testimonials.models import Testimonial
from tests.html_safety import find_dangers, normalize_url, start_tags
from tests.security.test_stored_xss import page_dangers

Testimonial.__test__ = False

LIST = "/testimonials/"
NOTICE = "Personal experience — not medical evidence"


def content(**overrides) -> dict:
    values = {
        "title": "Calmer evenings",
        "ms_type": "rrms",
        "dose_mg": Decimal("4.5"),
        "time_on_ldn": "6-12m",
        "change": "better",
        "side_effects": ["vivid_dreams"],
        "side_effects_other": "a dry mouth",
        "other_treatments": "Vitamin D",
        "narrative": "I sleep through the night more often since month two.",
        "display_as": "ms_type",
    }
    values.update(overrides)
    return values


@pytest.fixture
def author(make_user):
    return make_user(display_name="Willow Writes")


@pytest.fixture
def make_testimonial(make_testimonial, author):
    """make_testimonial(approved=True, by=author, is_carer=False, **content) -> a testimonial."""

    def make(*, approved: bool = True, by=None, is_carer: bool = False, **overrides):
        state = "approved" if approved else "pending"
        return make_testimonial(
            state=state, author=by or author, is_carer=is_carer, content=content(**overrides)
        )

    return make


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


# --- the list ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_approved_experience_is_listed_with_its_structured_facts_and_label(client, make_testimonial):
    make_testimonial(is_carer=True)

    html = page(client, LIST)

    card = re.search(r'<article class="card experience-card".*?</article>', html, re.S).group(0)
    assert "Calmer evenings" in card
    assert "A member with relapsing-remitting" in card
    assert "written by their carer" in card
    assert "Relapsing-remitting MS" in card and "4.5 mg a day" in card
    assert "6 to 12 months" in card and "A little better" in card
    assert "Vivid dreams" in card and "a dry mouth" in card
    assert "I sleep through the night" in card
    assert NOTICE in card
    assert html.count(NOTICE) >= 2  # on the page and on the card
    assert 'href="/studies/"' in html and 'href="/testimonials/summary/"' in html


@pytest.mark.django_db
def test_display_name_is_shown_only_when_the_author_chose_it(client, make_testimonial, make_user):
    make_testimonial(title="Named one")
    make_testimonial(title="Named two", display_as="display_name", by=make_user(display_name="Open Oak"))

    html = page(client, LIST)

    assert "Open Oak" in html
    assert "Willow Writes" not in html


@pytest.mark.django_db
def test_markdown_is_not_shown_raw_in_the_excerpt(client, make_testimonial):
    make_testimonial(narrative="My **legs** felt *lighter*.")

    html = page(client, LIST)

    assert "My legs felt lighter." in html
    assert "**legs**" not in html


@pytest.mark.django_db
def test_list_filters_by_type_of_ms_and_by_what_changed(client, make_testimonial):
    make_testimonial(title="Relapsing better", ms_type="rrms", change="better")
    make_testimonial(title="Progressive better", ms_type="ppms", change="better")
    make_testimonial(title="Relapsing worse", ms_type="rrms", change="worse")

    by_type = page(client, f"{LIST}?ms_type=ppms")
    by_change = page(client, f"{LIST}?change=worse")
    both = page(client, f"{LIST}?ms_type=rrms&change=better")

    assert "Progressive better" in by_type
    assert "Relapsing better" not in by_type and "Relapsing worse" not in by_type
    assert "Relapsing worse" in by_change
    assert "Relapsing better" not in by_change and "Progressive better" not in by_change
    assert "Relapsing better" in both and "Progressive better" not in both and "Relapsing worse" not in both
    assert '<option value="ppms" selected>' in by_type


@pytest.mark.django_db
def test_unknown_filter_values_are_ignored(client, make_testimonial):
    make_testimonial(title="Still listed")

    html = page(client, f"{LIST}?ms_type=<script>&change=bogus&page=1")

    assert "Still listed" in html
    assert "<script>" not in html


@pytest.mark.django_db
def test_list_is_paginated_by_twenty_and_keeps_the_filter(client, make_testimonial):
    for n in range(23):
        make_testimonial(title=f"Story {n:02d}", ms_type="spms")

    first = page(client, f"{LIST}?ms_type=spms")
    second = page(client, f"{LIST}?ms_type=spms&page=2")

    assert first.count('class="card experience-card"') == 20
    assert second.count('class="card experience-card"') == 3
    assert "?ms_type=spms&amp;page=2" in first
    assert client.get(f"{LIST}?page=99").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("logged_in", [False, True])
def test_list_uses_the_same_number_of_queries_for_one_or_many(
    client,
    make_testimonial,
    make_user,
    django_assert_max_num_queries,
    logged_in,
    django_capture_on_commit_callbacks,
):
    if logged_in:
        client.force_login(make_user())
    make_testimonial(display_as="display_name")
    with django_assert_max_num_queries(6 if logged_in else 2):
        assert client.get(LIST).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):  # committed: the cached list is refreshed
        for n in range(24):
            make_testimonial(title=f"More {n}", display_as="display_name", by=make_user())
    with django_assert_max_num_queries(6 if logged_in else 2):
        html = client.get(LIST).content.decode()
    assert html.count('class="card experience-card"') == 20


@pytest.mark.django_db
def test_empty_list_invites_members_to_share(client, db):
    html = page(client, LIST)

    assert "No member experiences have been published yet" in html
    assert 'href="/testimonials/new/"' in html and NOTICE in html


# --- one experience ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_detail_shows_the_full_record_the_narrative_and_the_discussion(client, make_testimonial):
    testimonial = make_testimonial(narrative="Evenings are *calmer*.")

    html = page(client, testimonial.get_absolute_url())

    assert "<h1" in html and "Calmer evenings" in html
    assert "Evenings are <em>calmer</em>." in html
    assert "Vitamin D" in html and "4.5 mg a day" in html and "a dry mouth" in html
    assert NOTICE in html and 'href="/studies/"' in html
    assert 'id="comments"' in html
    assert page_dangers(html) == []


@pytest.mark.django_db
def test_detail_uses_a_fixed_number_of_queries_however_long_the_discussion(
    client, make_testimonial, make_user, django_assert_max_num_queries, settings
):
    settings.COMMENTS_HOLD_FIRST_COMMENT = False
    testimonial = make_testimonial()
    thread = Thread.objects.for_subject(testimonial)
    reader = make_user()
    client.force_login(reader)
    # Rows with their HTML, as comments.moderation writes them (a row without is rendered and kept once).
    Comment.objects.create(
        thread=thread, author=reader, **text_fields("First."), status=Comment.Status.PUBLISHED
    )
    # The reader wrote in this thread, so the comments are rendered for them alone: session, member,
    # permissions, testimonial, the reader's facts (one statement), comment count, roots, replies.
    with django_assert_max_num_queries(8):
        assert client.get(testimonial.get_absolute_url()).status_code == 200

    for n in range(15):
        root = Comment.objects.create(
            thread=thread, author=make_user(), **text_fields(f"Root {n}."), status=Comment.Status.PUBLISHED
        )
        Comment.objects.create(
            thread=thread, author=make_user(), **text_fields(f"Reply {n}."), parent=root, root=root, depth=1,
            status=Comment.Status.PUBLISHED,
        )  # fmt: skip
    with django_assert_max_num_queries(8):
        html = client.get(testimonial.get_absolute_url()).content.decode()
    assert "Reply 14." in html


@pytest.mark.django_db
def test_narrative_cannot_run_script(client, make_testimonial):
    testimonial = make_testimonial(
        narrative="Hello <script>alert('x')</script> [click me](javascript:alert(1)) "
        '<img src=x onerror="alert(2)">',
        title="<b>Bold title</b>",
    )

    html = page(client, testimonial.get_absolute_url())
    listing = page(client, LIST)

    narrative = re.search(r'class="prose experience-narrative">(.*?)</div>\s*</section>', html, re.S).group(1)
    excerpt = re.search(r'<p class="experience-excerpt">(.*?)</p>', listing, re.S).group(1)
    for fragment in (narrative, excerpt):
        assert "Hello" in fragment and "click me" in fragment
        assert find_dangers(fragment) == []
    for body in (html, listing):
        assert "<script>alert" not in body
        hrefs = [attrs.get("href") or "" for _, attrs, _ in start_tags(body) if "href" in attrs]
        assert not any(normalize_url(href).startswith("javascript:") for href in hrefs)
    assert "&lt;b&gt;Bold title&lt;/b&gt;" in html


# --- what must stay hidden --------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("state", ["pending", "rejected", "withdrawn"])
def test_unpublished_experience_is_invisible_everywhere_but_to_its_author(
    client, make_testimonial, author, moderator, make_study, make_article, make_user, state
):
    marker = f"hidden-marker-{uuid.uuid4().hex[:8]}"
    study = make_study()
    article = make_article(studies=[study])
    testimonial = make_testimonial(
        approved=False, title=f"Title {marker}", narrative=f"Words {marker}", display_as="display_name"
    )
    if state == "rejected":
        moderation.reject(testimonial, by=moderator, reason="Not this time.")
    elif state == "withdrawn":
        moderation.withdraw(testimonial, by=author)
    public_pages = [
        LIST, f"{LIST}?ms_type=rrms", f"{LIST}?change=better", f"{LIST}?ms_type=rrms&change=better", "/",
        "/studies/", study.get_absolute_url(), "/articles/", article.get_absolute_url(),
        "/search/?q=words", "/search/?q=title&in=experiences",
    ]  # fmt: skip

    for viewer in [None, make_user()]:
        if viewer is not None:
            client.force_login(viewer)
        for url in public_pages:
            assert marker not in page(client, url), url
        assert client.get(testimonial.get_absolute_url()).status_code == 404
        # An unpublished story is no public contribution: its author has no member page to show it on.
        assert client.get(f"/members/{author.pk}/").status_code == 404

    client.force_login(author)
    assert marker in page(client, "/testimonials/mine/")
    own = page(client, testimonial.get_absolute_url())
    assert marker in own and "only you and the moderators can see it" in own
    assert 'id="comments"' not in own
    for url in public_pages:
        assert marker not in page(client, url), url


@pytest.mark.django_db
def test_moderator_sees_a_pending_experience_with_its_status(client, make_testimonial, moderator):
    testimonial = make_testimonial(approved=False, title="Waiting one")
    client.force_login(moderator)

    html = page(client, testimonial.get_absolute_url())

    assert "Waiting one" in html and str(Testimonial.Status.PENDING.label) in html


@pytest.mark.django_db
def test_approval_makes_it_appear(client, make_testimonial, moderator, django_capture_on_commit_callbacks):
    testimonial = make_testimonial(approved=False, title="Now you see me")
    assert "Now you see me" not in page(client, LIST)

    with django_capture_on_commit_callbacks(execute=True):  # committed: the cached list is refreshed
        moderation.approve(testimonial, by=moderator)

    assert "Now you see me" in page(client, LIST)
    assert "Now you see me" in page(client, testimonial.get_absolute_url())


@pytest.mark.django_db
def test_withdrawing_removes_it_from_every_page_at_once(
    client, make_testimonial, author, django_capture_on_commit_callbacks
):
    testimonial = make_testimonial(title="Gone soon 2290", display_as="display_name")
    assert "Gone soon 2290" in page(client, LIST)

    with django_capture_on_commit_callbacks(execute=True):  # committed: the cached pages are refreshed
        moderation.withdraw(testimonial, by=author)

    assert "Gone soon 2290" not in page(client, LIST)
    assert client.get(f"/members/{author.pk}/").status_code == 404  # nothing public left under the name
    assert client.get(testimonial.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_evidence_pages_never_show_experience_text(
    client, make_testimonial, make_topic, make_study, make_article
):
    study = make_study(title="Crossover trial of LDN")
    article = make_article(studies=[study])
    make_testimonial(title="Anecdote title qzxq", narrative="Anecdote words qzxq")
    make_topic(title="Discussion title qzxq", body="Discussion words qzxq")  # discussions are experience too

    # A word no token, hash or id can contain (they are hex or digits).
    for url in ["/studies/", study.get_absolute_url(), article.get_absolute_url(), "/articles/"]:
        html = page(client, url)
        assert "qzxq" not in html, url


# --- the author's profile and the home page -----------------------------------------------------------


@pytest.mark.django_db
def test_profile_lists_only_experiences_shared_under_the_display_name(client, make_testimonial, author):
    make_testimonial(title="Under my name", display_as="display_name")
    make_testimonial(title="Anonymous one", display_as="ms_type")
    make_testimonial(title="Not yet approved", display_as="display_name", approved=False)

    html = page(client, f"/members/{author.pk}/")

    assert "Under my name" in html
    assert "Anonymous one" not in html and "Not yet approved" not in html
    assert NOTICE in html


@pytest.mark.django_db
def test_profile_without_experiences_has_no_experience_section(client, author, make_article):
    thread = Thread.objects.for_subject(make_article())
    Comment.objects.create(thread=thread, author=author, body="A comment.", status=Comment.Status.PUBLISHED)

    assert "Experiences shared" not in page(client, f"/members/{author.pk}/")


@pytest.mark.django_db
def test_member_without_public_contributions_has_no_page(client, make_testimonial, author):
    make_testimonial(title="Shared anonymously", display_as="ms_type")

    assert client.get(f"/members/{author.pk}/").status_code == 404


@pytest.mark.django_db
def test_home_links_to_reading_and_sharing_experiences(client, make_testimonial):
    make_testimonial(title="Not on the home page 7781")

    html = page(client, "/")

    section = re.search(r'<section[^>]*class="experience-entry".*?</section>', html, re.S).group(0)
    assert 'href="/testimonials/"' in section and 'href="/testimonials/new/"' in section
    assert "7781" not in html


@pytest.mark.django_db
def test_every_experience_page_is_labelled_and_has_no_inline_style_or_script(
    client, make_testimonial, author
):
    testimonial = make_testimonial()
    client.force_login(author)
    urls = [LIST, testimonial.get_absolute_url(), "/testimonials/new/", "/testimonials/mine/",
            f"/testimonials/{testimonial.pk}/edit/", f"/testimonials/{testimonial.pk}/withdraw/",
            f"/testimonials/{testimonial.pk}/delete/"]  # fmt: skip
    for url in urls:
        html = page(client, url)
        assert NOTICE in html, url
        assert " style=" not in html, url
        assert not re.search(r"<script(?![^>]*\ssrc=)", html), url


@pytest.mark.django_db
def test_recently_published_come_first(client, make_testimonial):
    older = make_testimonial(title="Older story")
    Testimonial.objects.filter(pk=older.pk).update(approved_at=timezone.now() - timezone.timedelta(days=3))
    make_testimonial(title="Newer story")

    html = page(client, LIST)

    assert html.index("Newer story") < html.index("Older story")
