"""The anonymous page cache: shared pages for anonymous readers, fresh after every change they show."""

import gzip

import pytest
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage import default_storage
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory
from django.utils import timezone

from articles import moderation as article_moderation
from articles.models import PublicationStatus, Resource
from ldnsite import pagecache
from ldnsite.comments import moderation as comment_moderation
from ldnsite.comments.models import Thread
from testimonials import moderation as testimonial_moderation
from tests.factories import story


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 600
    settings.COMMENTS_HOLD_FIRST_COMMENT = False
    pagecache.forget_generation()  # the cache was emptied for this test


@pytest.fixture
def moderator(make_user):
    return make_user(display_name="Mod Mo", groups=["Moderators"], is_staff=True)


@pytest.fixture
def article(make_article):
    return make_article(slug="ldn-basics", title="LDN basics")


@pytest.fixture
def approved(member, moderator):
    testimonial = testimonial_moderation.submit(
        author=member, content=story(title="Sleeping better"), is_carer=False
    )
    return testimonial_moderation.approve(testimonial, by=moderator)


def fetch(client, url: str, **kwargs) -> tuple[str, str]:
    """(X-Cache, page text) of a GET."""
    response = client.get(url, **kwargs)
    assert response.status_code == 200
    return response.get("X-Cache", ""), response.content.decode()


def primed(client, url: str) -> str:
    """Fetch a page twice as an anonymous reader: the second must come from the cache."""
    fetch(client, url)
    state, html = fetch(client, url)
    assert state == "hit"
    return html


# --- What is served from the cache ------------------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_reader_gets_a_shared_cached_page(client, article, django_assert_max_num_queries):
    first = client.get(article.get_absolute_url())
    with django_assert_max_num_queries(0):
        second = client.get(article.get_absolute_url())

    assert first["X-Cache"] == "miss" and second["X-Cache"] == "hit"
    assert second.content == first.content
    for response in (first, second):
        cache_control = response["Cache-Control"]
        assert "public" in cache_control and "max-age=60" in cache_control
        vary = response["Vary"].lower()
        assert "cookie" in vary and "accept-encoding" in vary
    # Headers of the outer middleware are still added to a cached page.
    assert "Content-Security-Policy" in second and second["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/", "/articles/", "/studies/", "/testimonials/", "/testimonials/summary/", "/robots.txt"]
)
def test_public_pages_are_cached(client, article, url):
    response = client.get(url)
    if response.status_code == 404:
        pytest.skip(f"{url} does not exist yet")

    assert fetch(client, url)[0] == "hit"


@pytest.mark.django_db
def test_each_page_number_sort_and_filter_is_cached_on_its_own(client, make_study):
    make_study(title="Older", year=2001)
    make_study(title="Newer", year=2020)

    by_year, by_year_desc = primed(client, "/studies/?sort=year"), primed(client, "/studies/?sort=-year")

    assert by_year.index("Older") < by_year.index("Newer")
    assert by_year_desc.index("Newer") < by_year_desc.index("Older")


@pytest.mark.django_db
def test_unknown_query_parameters_bypass_the_cache(client, article):
    url = article.get_absolute_url() + "?utm_source=newsletter"

    fetch(client, url)

    assert fetch(client, url)[0] == ""


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", ["embed", "infographic"])
def test_embed_and_infographic_keep_their_own_caching(client, make_article, make_study, member, suffix):
    """They never read the session (no Vary: Cookie on a page other sites frame) and answer 304 themselves."""
    article = make_article(studies=[make_study()])
    url = f"/embed/{article.slug}/" if suffix == "embed" else f"/articles/{article.slug}/infographic.svg"
    client.force_login(member)

    first = client.get(url)
    again = client.get(url, headers={"If-None-Match": first["ETag"]})

    assert "X-Cache" not in first
    assert "cookie" not in first.get("Vary", "").lower()
    assert "max-age=900" in first["Cache-Control"]
    assert again.status_code == 304


@pytest.mark.django_db
def test_cached_page_is_sent_compressed_to_readers_who_accept_it(client, article):
    plain = client.get(article.get_absolute_url()).content

    compressed = client.get(article.get_absolute_url(), headers={"Accept-Encoding": "gzip, br"})
    unpacked = client.get(article.get_absolute_url())

    assert compressed["X-Cache"] == "hit" and compressed["Content-Encoding"] == "gzip"
    assert gzip.decompress(compressed.content) == plain
    assert int(compressed["Content-Length"]) == len(compressed.content) < len(plain)
    assert unpacked["X-Cache"] == "hit" and "Content-Encoding" not in unpacked
    assert unpacked.content == plain


@pytest.mark.django_db
def test_head_is_served_from_the_cache(client, article):
    primed(client, article.get_absolute_url())

    assert client.head(article.get_absolute_url())["X-Cache"] == "hit"


@pytest.mark.django_db
def test_nothing_is_cached_when_turned_off(client, article, settings):
    settings.PAGE_CACHE_SECONDS = 0

    fetch(client, article.get_absolute_url())
    response = client.get(article.get_absolute_url())

    assert "X-Cache" not in response
    assert "public" not in response["Cache-Control"]


# --- What is never served from or stored in the cache -----------------------------------------------------


@pytest.mark.django_db
def test_logged_in_reader_never_gets_the_shared_page(client, article, member):
    primed(client, article.get_absolute_url())
    client.force_login(member)

    response = client.get(article.get_absolute_url())

    assert "X-Cache" not in response
    assert "Signed in as" in response.content.decode()
    assert "Member Max" in response.content.decode()
    cache_control = response["Cache-Control"]
    assert "private" in cache_control and "no-cache" in cache_control and "public" not in cache_control


@pytest.mark.django_db
def test_logged_in_pages_are_not_stored_for_anonymous_readers(client, article, member):
    client.force_login(member)
    client.get(article.get_absolute_url())
    client.get(article.get_absolute_url())
    client.logout()

    state, html = fetch(client, article.get_absolute_url())

    assert state == "miss"
    assert "Member Max" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/accounts/email/", "/accounts/export/"])
def test_account_pages_are_never_stored_by_browsers(client, member, url):
    client.force_login(member)

    response = client.get(url)

    assert "no-store" in response["Cache-Control"] and "X-Cache" not in response


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/accounts/login/", "/accounts/signup/", "/testimonials/new/", "/moderation/"]
)
def test_private_and_form_pages_are_never_cached(client, url):
    client.get(url)
    response = client.get(url)

    assert "X-Cache" not in response
    assert "public" not in response.get("Cache-Control", "")


@pytest.mark.django_db
def test_member_profile_is_never_cached(client, member):
    url = f"/members/{member.pk}/"
    client.get(url)

    assert "X-Cache" not in client.get(url)


@pytest.mark.parametrize(
    ("path", "public"),
    [
        ("/", True),
        ("/articles/ldn/", True),
        ("/testimonials/3/", True),
        ("/testimonials/summary/", True),
        ("/sitemap.xml", True),
        ("/testimonials/new/", False),
        ("/testimonials/mine/", False),
        ("/testimonials/3/edit/", False),
        ("/testimonials/3/withdraw/", False),
        ("/testimonials/3/delete/", False),
        ("/accounts/login/", False),
        ("/admin/", False),
        ("/moderation/", False),
        ("/members/1/", False),
        ("/comments/3/report/", False),
        ("/healthz", False),
    ],
)
def test_only_public_addresses_are_cacheable(path, public):
    assert pagecache.is_public_path(path) is public


def run_through_middleware(view, *, session=None):
    """A GET of a public address through the page cache, with `view` behind it."""
    request = RequestFactory().get("/articles/some-article/")
    request.user = AnonymousUser()
    request.session = session or SessionStore()
    request._messages = default_storage(request)
    return pagecache.PageCacheMiddleware(view)(request)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "view",
    [
        pytest.param(lambda request: HttpResponse(get_token(request)), id="csrf-token-used"),
        pytest.param(
            lambda request: (messages.info(request, "Saved."), HttpResponse("page"))[1], id="message-added"
        ),
        pytest.param(
            lambda request: (request.session.__setitem__("seen", 1), HttpResponse("page"))[1],
            id="session-changed",
        ),
        pytest.param(
            lambda request: (r := HttpResponse("page"), r.set_cookie("pref", "1"))[0], id="cookie-set"
        ),
        pytest.param(lambda request: HttpResponse("page", status=404), id="not-found"),
        pytest.param(
            lambda request: (r := HttpResponse("page"), r.__setitem__("Cache-Control", "private"))[0],
            id="private",
        ),
        pytest.param(
            lambda request: (r := HttpResponse("page"), r.__setitem__("Vary", "Accept-Language"))[0],
            id="varies-otherwise",
        ),
    ],
)
def test_pages_holding_something_personal_are_not_stored(view):
    first = run_through_middleware(view)
    second = run_through_middleware(view)

    assert "X-Cache" not in first and "X-Cache" not in second
    assert "public" not in first.get("Cache-Control", "")


@pytest.mark.django_db
def test_a_waiting_message_is_shown_not_a_cached_page(client, member):
    primed(client, "/")
    client.force_login(member)

    response = client.post("/accounts/logout/", follow=True)

    assert response.redirect_chain and response.redirect_chain[-1][0] == "/"
    assert "X-Cache" not in response
    assert "You have signed out." in response.content.decode()
    assert fetch(client, "/")[0] == "hit"  # and the next visit is shared again


@pytest.mark.django_db
def test_cached_page_answers_a_conditional_request():
    calls = []

    def view(request):
        calls.append(1)
        response = HttpResponse("page")
        response["ETag"] = '"v1"'
        return response

    run_through_middleware(view)
    request = RequestFactory().get("/articles/some-article/", headers={"If-None-Match": '"v1"'})
    request.user, request.session = AnonymousUser(), SessionStore()
    request._messages = default_storage(request)

    response = pagecache.PageCacheMiddleware(view)(request)

    assert response.status_code == 304 and len(calls) == 1


# --- Invalidation: every change a public page shows -------------------------------------------------------


@pytest.mark.django_db
def test_publishing_an_article_shows_it_at_once(client, make_article, editor):
    draft = make_article(published=False, title="Fresh news on LDN")
    primed(client, "/")
    primed(client, "/articles/")

    article_moderation.publish(draft, by=editor)

    for url in ("/", "/articles/"):
        state, html = fetch(client, url)
        assert state == "miss" and "Fresh news on LDN" in html


@pytest.mark.django_db
def test_unpublishing_an_article_removes_it_at_once(client, article, editor):
    primed(client, "/articles/")

    article_moderation.unpublish(article, by=editor)

    assert "LDN basics" not in fetch(client, "/articles/")[1]
    assert client.get(article.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_editing_an_article_shows_the_new_text(client, article, editor):
    primed(client, article.get_absolute_url())

    client.force_login(editor)
    article.body = "A corrected paragraph about dosing."
    article.save()
    client.logout()

    assert "A corrected paragraph about dosing." in fetch(client, article.get_absolute_url())[1]


@pytest.mark.django_db
def test_publishing_and_editing_a_study(client, make_study, editor):
    study = make_study(published=False, title="Crossover trial of LDN")
    primed(client, "/studies/")

    article_moderation.publish(study, by=editor)
    assert "Crossover trial of LDN" in fetch(client, "/studies/")[1]

    primed(client, study.get_absolute_url())
    study.title = "Crossover trial of LDN, corrected"
    study.save()
    assert "Crossover trial of LDN, corrected" in fetch(client, study.get_absolute_url())[1]


@pytest.mark.django_db
def test_citing_a_study_shows_on_the_article(client, article, make_study):
    study = make_study(title="The newly cited study")
    primed(client, article.get_absolute_url())

    article.studies.add(study)

    assert "The newly cited study" in fetch(client, article.get_absolute_url())[1]


@pytest.mark.django_db
def test_editing_a_resource(client, make_article):
    article = make_article(
        resources=[{"kind": "video", "title": "Old video", "url": "https://example.org/v"}]
    )
    primed(client, article.get_absolute_url())

    resource = Resource.objects.get()
    resource.title = "A better video"
    resource.save()
    assert "A better video" in fetch(client, article.get_absolute_url())[1]

    resource.delete()
    assert "A better video" not in fetch(client, article.get_absolute_url())[1]


@pytest.mark.django_db
def test_approving_a_testimonial_lists_it(client, member, moderator):
    pending = testimonial_moderation.submit(
        author=member, content=story(title="Calmer nights"), is_carer=False
    )
    primed(client, "/testimonials/")
    primed(client, "/testimonials/summary/")

    testimonial_moderation.approve(pending, by=moderator)

    assert "Calmer nights" in fetch(client, "/testimonials/")[1]
    assert fetch(client, "/testimonials/summary/")[0] == "miss"


@pytest.mark.django_db
def test_withdrawing_a_testimonial_removes_it_through_the_site(client, approved, member):
    primed(client, "/testimonials/")
    primed(client, approved.get_absolute_url())

    client.force_login(member)
    client.post(f"/testimonials/{approved.pk}/withdraw/")
    client.logout()

    assert "Sleeping better" not in fetch(client, "/testimonials/")[1]
    assert client.get(approved.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_deleting_a_testimonial_removes_it_through_the_site(client, approved, member):
    primed(client, "/testimonials/")

    client.force_login(member)
    client.post(f"/testimonials/{approved.pk}/delete/")
    client.logout()

    assert "Sleeping better" not in fetch(client, "/testimonials/")[1]


@pytest.mark.django_db
def test_a_posted_comment_appears_for_anonymous_readers(client, article, member):
    primed(client, article.get_absolute_url())

    client.force_login(member)
    response = client.post(
        f"/comments/article/{article.slug}/new/", {"body": "LDN helped my sleep.", "token": "a" * 32}
    )
    assert response.status_code == 302
    client.logout()

    state, html = fetch(client, article.get_absolute_url())
    assert state == "miss" and "LDN helped my sleep." in html


@pytest.mark.django_db
@pytest.mark.parametrize("transition", [comment_moderation.hide, comment_moderation.remove])
def test_a_comment_taken_down_disappears(client, article, member, moderator, transition):
    thread = Thread.objects.create(article=article)
    comment = comment_moderation.submit(thread, author=member, body="Buy cheap LDN from my shop.")
    assert "Buy cheap LDN" in primed(client, article.get_absolute_url())

    transition(comment, by=moderator, reason="Selling drugs")

    assert "Buy cheap LDN" not in fetch(client, article.get_absolute_url())[1]


@pytest.mark.django_db
def test_a_comment_deleted_by_its_author_disappears(client, article, member):
    thread = Thread.objects.create(article=article)
    comment = comment_moderation.submit(thread, author=member, body="I said too much here.")
    primed(client, article.get_absolute_url())

    client.force_login(member)
    client.post(f"/comments/{comment.pk}/delete/")
    client.logout()

    assert "I said too much here." not in fetch(client, article.get_absolute_url())[1]


@pytest.mark.django_db
def test_a_new_display_name_shows_on_cached_comments(client, article, member):
    thread = Thread.objects.create(article=article)
    comment_moderation.submit(thread, author=member, body="Hello from me.")
    assert "Member Max" in primed(client, article.get_absolute_url())

    member.display_name = "Max Renamed"
    member.save()

    assert "Max Renamed" in fetch(client, article.get_absolute_url())[1]


@pytest.mark.django_db
def test_a_login_does_not_empty_the_cache(client, article, member):
    primed(client, article.get_absolute_url())

    member.last_login = timezone.now()
    member.save(update_fields=["last_login"])

    assert fetch(client, article.get_absolute_url())[0] == "hit"


@pytest.mark.django_db
def test_a_lost_generation_counter_never_brings_back_old_pages(client, article):
    primed(client, article.get_absolute_url())
    old = pagecache.current_generation()

    cache.delete(pagecache.GENERATION_KEY)  # evicted, or Redis restarted without its data
    pagecache.forget_generation()  # as every process does a second later

    assert pagecache.current_generation() > old
    assert fetch(client, article.get_absolute_url())[0] == "miss"


@pytest.mark.django_db
def test_a_change_in_another_process_reaches_this_one_within_a_second(client, article, monkeypatch):
    primed(client, article.get_absolute_url())
    cache.incr(pagecache.GENERATION_KEY)  # what a bump in another process does

    assert fetch(client, article.get_absolute_url())[0] == "hit"  # this process read the counter just now
    monkeypatch.setattr(pagecache, "GENERATION_REUSE_SECONDS", 0)
    assert fetch(client, article.get_absolute_url())[0] == "miss"


@pytest.mark.django_db
def test_pages_are_not_stored_while_a_change_may_be_uncommitted(client, article, settings):
    settings.PAGE_CACHE_SETTLE_SECONDS = 5
    article.status = PublicationStatus.PUBLISHED
    article.save()  # a change: for a few seconds other processes may still read the old rows

    fetch(client, article.get_absolute_url())

    assert fetch(client, article.get_absolute_url())[0] == "miss"
    cache.delete(pagecache.SETTLING_KEY)  # the few seconds are over
    pagecache.forget_generation()  # and this process reads the flag again (at most a second later)
    fetch(client, article.get_absolute_url())
    assert fetch(client, article.get_absolute_url())[0] == "hit"


@pytest.mark.django_db
def test_a_page_stored_before_a_change_commits_is_not_served_after(
    client, article, django_capture_on_commit_callbacks
):
    url = article.get_absolute_url()
    # The change's own transaction (inside the test's, whose callbacks never run).
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        article.title = "LDN basics, revised"
        article.save()
        Resource.objects.create(article=article, kind="video", title="A talk", url="https://example.org/t")
        # Meanwhile another process, still reading the old rows, stores its page under the new generation.
        pagecache.forget_generation()
        key = pagecache.page_key(RequestFactory().get(url), pagecache.current_generation())
        cache.set(key, HttpResponse("<h1>LDN basics</h1> (the old text)"), 600)
        assert fetch(client, url)[1].endswith("(the old text)")

    assert callbacks.count(pagecache.content_committed) == 1  # once for the whole transaction
    state, html = fetch(client, url)
    assert state == "miss" and "LDN basics, revised" in html


@pytest.mark.django_db
def test_a_change_in_a_rolled_back_savepoint_does_not_cancel_the_bump_of_the_outer_one(
    article, make_study, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        with transaction.atomic():
            make_study(title="Rolled back")  # registers the bump inside this savepoint...
            transaction.set_rollback(True)  # ...which rolling back drops
        article.title = "Kept"
        article.save()

    assert callbacks.count(pagecache.content_committed) == 1


@pytest.mark.django_db
def test_a_scheduled_article_appears_on_cached_pages_when_its_time_comes(
    client, make_article, monkeypatch, django_capture_on_commit_callbacks
):
    goes_public = timezone.now() + timezone.timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        make_article(title="Coming soon", published_at=goes_public)
    assert "Coming soon" not in primed(client, "/articles/")

    # An hour later, with nothing saved in between:
    later = goes_public + timezone.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    pagecache.forget_generation()  # as every process does within a second

    state, html = fetch(client, "/articles/")
    assert state == "miss" and "Coming soon" in html
