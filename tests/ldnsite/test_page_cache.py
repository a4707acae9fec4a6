"""The anonymous page cache: shared pages for anonymous readers; a change refreshes the pages that show it,
once it commits, and nothing else.

Each test runs in a transaction that never commits, so a change "commits" inside `committed()` (its
after-commit callbacks run at the end of the block), as it would in production.
"""

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
from articles.models import Article, Resource
from ldnsite import pagecache
from ldnsite.comments import moderation as comment_moderation
from ldnsite.comments.models import Comment, Thread
from testimonials import moderation as testimonial_moderation
from tests.factories import story


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 600
    settings.COMMENTS_HOLD_FIRST_COMMENT = False


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` the changes made in the block commit at its end."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def article(make_article):
    return make_article(slug="ldn-basics", title="LDN basics")


@pytest.fixture
def other_article(make_article):
    return make_article(slug="ldn-and-sleep", title="LDN and sleep")


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


class CountingCache:
    """The cache, with its calls noted as (method, first argument): each is one round trip to Redis."""

    def __init__(self):
        self.calls = []

    def __getattr__(self, name):
        def call(*args, **kwargs):
            self.calls.append((name, args[0] if args else None))
            return getattr(cache, name)(*args, **kwargs)

        return call

    def pages_stored(self) -> int:
        return len([key for name, key in self.calls if name == "set" and key.startswith("pagecache:page:")])


@pytest.fixture
def counted(monkeypatch) -> CountingCache:
    counting = CountingCache()
    monkeypatch.setattr(pagecache, "cache", counting)
    return counting


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
    "url",
    [
        "/",
        "/articles/",
        "/studies/",
        "/testimonials/",
        "/testimonials/summary/",
        "/feeds/articles/",
        "/sitemap.xml",
        "/robots.txt",
        "/search/?q=naltrexone",
    ],
)
def test_public_pages_are_cached(client, article, url):
    assert primed(client, url)


@pytest.mark.django_db
def test_each_page_number_sort_and_filter_is_cached_on_its_own(client, make_study):
    make_study(title="Older", year=2001)
    make_study(title="Newer", year=2020)

    by_year, by_year_desc = primed(client, "/studies/?sort=year"), primed(client, "/studies/?sort=-year")

    assert by_year.index("Older") < by_year.index("Newer")
    assert by_year_desc.index("Newer") < by_year_desc.index("Older")
    assert primed(client, "/testimonials/?ms_type=rrms&change=")
    assert fetch(client, "/testimonials/?change=&ms_type=rrms")[0] == "hit"  # the same page, spelt otherwise


@pytest.mark.django_db
def test_unknown_query_parameters_bypass_the_cache(client, article, counted):
    url = article.get_absolute_url() + "?utm_source=newsletter"

    fetch(client, url)

    assert fetch(client, url)[0] == ""
    assert counted.pages_stored() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "/studies/?sort=zzz",
        "/studies/?sort=year&sort=-year",
        "/studies/?page=0",
        "/studies/?page=01",
        "/studies/?page=99999",
        "/articles/?page=last",
        "/testimonials/?ms_type=zzz",
        "/testimonials/?change=much_better%00",
        "/articles/ldn-basics/?comments=99",
        "/articles/ldn-basics/?comments=two",
        "/articles/ldn-basics/?page=2",
        "/search/?q=ldn%20%20fatigue",
        "/search/?q=ldn&in=everything",
    ],
)
def test_a_crawlers_made_up_values_add_nothing_to_the_cache(client, article, counted, query):
    primed(client, "/studies/")
    primed(client, article.get_absolute_url())
    before = counted.pages_stored()

    for _ in range(2):
        response = client.get(query)
        assert response.get("X-Cache") != "hit"

    assert counted.pages_stored() == before
    assert fetch(client, "/studies/")[0] == "hit"  # and the real pages are still there


@pytest.mark.django_db
def test_a_page_of_comments_past_the_last_is_shown_but_not_kept(client, article, member, counted):
    thread = Thread.objects.for_subject(article)
    comment_moderation.submit(thread, author=member, body="The only comment.")

    state, html = fetch(client, article.get_absolute_url() + "?comments=7")

    assert state == "miss" and "The only comment." in html
    assert counted.pages_stored() == 0


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


@pytest.mark.django_db
def test_a_new_site_address_is_a_new_version_of_every_page(client, article, settings):
    primed(client, "/feeds/articles/")
    primed(client, "/")
    settings.SITE_URL = "https://ldn.example"

    state, html = fetch(client, "/feeds/articles/")

    assert state == "miss" and "https://ldn.example/articles/ldn-basics/" in html
    assert fetch(client, "/")[0] == "miss"


@pytest.mark.django_db
def test_what_another_version_of_the_code_kept_is_not_served(client, article, monkeypatch):
    primed(client, article.get_absolute_url())

    monkeypatch.setattr(pagecache, "code_version", lambda: "after-a-deploy")

    assert fetch(client, article.get_absolute_url())[0] == "miss"
    assert fetch(client, article.get_absolute_url())[0] == "hit"


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
        ("/studies/cree-2010/cite.ris", True),
        ("/testimonials/3/", True),
        ("/testimonials/summary/", True),
        ("/sitemap.xml", True),
        ("/testimonials/new/", False),
        ("/testimonials/mine/", False),
        ("/testimonials/3/edit/", False),
        ("/testimonials/3/withdraw/", False),
        ("/testimonials/3/delete/", False),
        ("/embed/ldn/", False),
        ("/accounts/login/", False),
        ("/admin/", False),
        ("/moderation/", False),
        ("/members/1/", False),
        ("/comments/3/report/", False),
        ("/healthz", False),
        ("/no-such-page/", False),
    ],
)
def test_only_registered_pages_are_cacheable(path, public):
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


@pytest.mark.django_db
def test_a_hit_costs_one_cache_read_and_a_miss_two_calls(client, article, counted):
    primed(client, article.get_absolute_url())
    counted.calls.clear()

    fetch(client, article.get_absolute_url())
    hit = [name for name, _key in counted.calls]
    counted.calls.clear()
    fetch(client, "/articles/")  # a page not kept yet: its path's tag is set up once (add)
    miss = [name for name, _key in counted.calls]

    assert hit == ["get_many"]
    assert sorted(miss) == ["add", "get_many", "set"]


class FailingCache:
    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("the cache is down")

        return fail


class ForgetfulCache:
    """A cache that answers like a backend that swallows its errors: nothing found, nothing written."""

    def get_many(self, keys):
        return {}

    def add(self, *args, **kwargs):
        return False

    def set(self, *args, **kwargs):
        return None

    def set_many(self, *args, **kwargs):
        return []


@pytest.mark.django_db
@pytest.mark.parametrize("broken", [FailingCache, ForgetfulCache])
def test_a_failing_cache_means_fresh_pages_never_errors(
    client, article, member, monkeypatch, broken, committed
):
    monkeypatch.setattr(pagecache, "cache", broken())
    thread = Thread.objects.for_subject(article)

    for _ in range(2):
        state, html = fetch(client, article.get_absolute_url())
        assert state == "miss" and "LDN basics" in html
    with committed():  # a refresh, which cannot be written
        comment_moderation.submit(thread, author=member, body="Written while the cache is down.")
    client.force_login(member)
    assert "Written while the cache is down." in fetch(client, article.get_absolute_url())[1]


# --- A change refreshes the pages that show it, and only those --------------------------------------------


@pytest.mark.django_db
def test_a_comment_on_one_article_leaves_other_pages_cached(
    client, article, other_article, member, make_study, committed
):
    make_study(title="A study")
    pages = ["/", "/articles/", "/studies/", "/testimonials/", other_article.get_absolute_url()]
    for url in [article.get_absolute_url(), *pages]:
        primed(client, url)

    with committed():
        comment_moderation.submit(Thread.objects.for_subject(article), author=member, body="Helps me.")

    for url in pages:
        assert fetch(client, url)[0] == "hit", url
    state, html = fetch(client, article.get_absolute_url())
    assert state == "miss" and "Helps me." in html


@pytest.mark.django_db
def test_a_posted_comment_appears_for_anonymous_readers(client, article, member, committed):
    primed(client, article.get_absolute_url())

    client.force_login(member)
    with committed():
        response = client.post(
            f"/comments/article/{article.slug}/new/", {"body": "LDN helped my sleep.", "token": "a" * 32}
        )
    assert response.status_code == 302
    client.logout()

    state, html = fetch(client, article.get_absolute_url())
    assert state == "miss" and "LDN helped my sleep." in html


@pytest.mark.django_db
def test_a_held_comment_refreshes_nothing_until_it_is_approved(
    client, article, make_user, moderator, settings, committed
):
    settings.COMMENTS_HOLD_FIRST_COMMENT = True
    thread = Thread.objects.for_subject(article)
    primed(client, article.get_absolute_url())

    with committed():
        held = comment_moderation.submit(thread, author=make_user(), body="My first words here.")
    assert held.status == Comment.Status.HELD
    state, html = fetch(client, article.get_absolute_url())
    assert state == "hit" and "My first words here." not in html

    with committed():
        comment_moderation.publish(held, by=moderator)

    state, html = fetch(client, article.get_absolute_url())
    assert state == "miss" and "My first words here." in html


@pytest.mark.django_db
@pytest.mark.parametrize("transition", [comment_moderation.hide, comment_moderation.remove])
def test_a_comment_taken_down_disappears(client, article, member, moderator, transition, committed):
    thread = Thread.objects.for_subject(article)
    comment = comment_moderation.submit(thread, author=member, body="Buy cheap LDN from my shop.")
    assert "Buy cheap LDN" in primed(client, article.get_absolute_url())

    with committed():
        transition(comment, by=moderator, reason="Selling drugs")

    assert "Buy cheap LDN" not in fetch(client, article.get_absolute_url())[1]


@pytest.mark.django_db
def test_a_comment_deleted_by_its_author_disappears(client, article, member, committed):
    thread = Thread.objects.for_subject(article)
    comment = comment_moderation.submit(thread, author=member, body="I said too much here.")
    primed(client, article.get_absolute_url())

    client.force_login(member)
    with committed():
        client.post(f"/comments/{comment.pk}/delete/")
    client.logout()

    assert "I said too much here." not in fetch(client, article.get_absolute_url())[1]


@pytest.mark.django_db
def test_a_comment_on_a_story_refreshes_the_story(client, approved, make_user, committed):
    primed(client, approved.get_absolute_url())
    primed(client, "/testimonials/")

    with committed():
        thread = Thread.objects.for_subject(approved)
        comment_moderation.submit(thread, author=make_user(), body="Same for me.")

    assert "Same for me." in fetch(client, approved.get_absolute_url())[1]
    assert fetch(client, "/testimonials/")[0] == "hit"


@pytest.mark.django_db
def test_publishing_an_article_shows_it_at_once(client, make_article, editor, committed):
    draft = make_article(published=False, title="Fresh news on LDN")
    for url in ("/", "/articles/", "/feeds/articles/", "/search/?q=fresh"):
        primed(client, url)

    with committed():
        article_moderation.publish(draft, by=editor)

    for url in ("/", "/articles/", "/feeds/articles/", "/search/?q=fresh"):
        state, html = fetch(client, url)
        assert state == "miss" and "Fresh news on LDN" in html, url


@pytest.mark.django_db
def test_a_draft_article_refreshes_nothing(client, make_article, article, editor, committed):
    for url in ("/", "/articles/", article.get_absolute_url()):
        primed(client, url)

    with committed():
        draft = make_article(published=False, title="Unfinished", studies=[])
        draft.body = "Still unfinished."
        draft.save()
        draft.resources.create(kind="video", title="A draft's video", url="https://example.org/v")

    for url in ("/", "/articles/", article.get_absolute_url()):
        assert fetch(client, url)[0] == "hit", url


@pytest.mark.django_db
def test_unpublishing_an_article_removes_it_at_once(client, article, make_study, editor, committed):
    study = make_study(title="A cited trial")
    article.studies.add(study)
    primed(client, "/articles/")
    assert "LDN basics" in primed(client, study.get_absolute_url())

    with committed():
        article_moderation.unpublish(article, by=editor)

    assert "LDN basics" not in fetch(client, "/articles/")[1]
    assert "LDN basics" not in fetch(client, study.get_absolute_url())[1]
    assert client.get(article.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_editing_an_article_shows_the_new_text(client, article, other_article, committed):
    primed(client, article.get_absolute_url())
    primed(client, other_article.get_absolute_url())

    with committed():
        article.body = "A corrected paragraph about dosing."
        article.save()

    assert "A corrected paragraph about dosing." in fetch(client, article.get_absolute_url())[1]
    assert fetch(client, other_article.get_absolute_url())[0] == "hit"


@pytest.mark.django_db
def test_a_new_address_for_an_article_retires_the_old_one(client, article, committed):
    old = article.get_absolute_url()
    primed(client, old)

    with committed():
        article.slug = "ldn-basics-explained"
        article.save()

    assert client.get(old).status_code == 404
    assert "LDN basics" in fetch(client, "/articles/ldn-basics-explained/")[1]


@pytest.mark.django_db
def test_publishing_and_editing_a_study(client, make_study, article, editor, committed):
    study = make_study(published=False, title="Crossover trial of LDN")
    article.studies.add(study)
    primed(client, "/studies/")
    primed(client, article.get_absolute_url())

    with committed():
        article_moderation.publish(study, by=editor)
    assert "Crossover trial of LDN" in fetch(client, "/studies/")[1]
    assert "Crossover trial of LDN" in fetch(client, article.get_absolute_url())[1]

    primed(client, study.get_absolute_url())
    primed(client, study.get_absolute_url() + "cite.ris")
    with committed():
        study.title = "Crossover trial of LDN, corrected"
        study.save()
    assert "Crossover trial of LDN, corrected" in fetch(client, study.get_absolute_url())[1]
    assert "Crossover trial of LDN, corrected" in fetch(client, study.get_absolute_url() + "cite.ris")[1]
    assert "Crossover trial of LDN, corrected" in fetch(client, article.get_absolute_url())[1]


@pytest.mark.django_db
def test_citing_and_unciting_a_study_shows_on_both_pages(client, article, make_study, committed):
    study = make_study(title="The newly cited study")
    primed(client, article.get_absolute_url())
    primed(client, study.get_absolute_url())

    with committed():
        article.studies.add(study)
    assert "The newly cited study" in fetch(client, article.get_absolute_url())[1]
    assert "LDN basics" in fetch(client, study.get_absolute_url())[1]

    primed(client, study.get_absolute_url())
    with committed():
        study.articles.remove(article)  # from the other side
    assert "The newly cited study" not in fetch(client, article.get_absolute_url())[1]
    assert "LDN basics" not in fetch(client, study.get_absolute_url())[1]

    with committed():
        article.studies.add(study)
    primed(client, study.get_absolute_url())
    with committed():
        article.studies.clear()
    assert "LDN basics" not in fetch(client, study.get_absolute_url())[1]


@pytest.mark.django_db
def test_editing_a_resource(client, make_article, committed):
    article = make_article(
        resources=[{"kind": "video", "title": "Old video", "url": "https://example.org/v"}]
    )
    primed(client, article.get_absolute_url())

    resource = Resource.objects.get()
    with committed():
        resource.title = "A better video"
        resource.save()
    assert "A better video" in fetch(client, article.get_absolute_url())[1]

    with committed():
        resource.delete()
    assert "A better video" not in fetch(client, article.get_absolute_url())[1]


@pytest.mark.django_db
def test_deleting_an_article_removes_it_from_the_pages_that_showed_it(client, article, make_study, committed):
    study = make_study()
    article.studies.add(study)
    primed(client, study.get_absolute_url())
    primed(client, "/")

    with committed():
        Article.objects.get(pk=article.pk).delete()

    assert "LDN basics" not in fetch(client, study.get_absolute_url())[1]
    assert "LDN basics" not in fetch(client, "/")[1]


@pytest.mark.django_db
def test_a_pending_story_refreshes_nothing_until_it_is_approved(client, member, moderator, committed):
    for url in ("/testimonials/", "/testimonials/summary/", "/sitemap.xml"):
        primed(client, url)

    with committed():
        pending = testimonial_moderation.submit(
            author=member, content=story(title="Calmer nights"), is_carer=False
        )
        testimonial_moderation.edit(pending, by=member, content=story(title="Calmer nights, edited"))
    for url in ("/testimonials/", "/testimonials/summary/", "/sitemap.xml"):
        assert fetch(client, url)[0] == "hit", url

    with committed():
        testimonial_moderation.approve(pending, by=moderator)

    assert "Calmer nights, edited" in fetch(client, "/testimonials/")[1]
    assert fetch(client, "/testimonials/summary/")[0] == "miss"
    assert f"/testimonials/{pending.pk}/" in fetch(client, "/sitemap.xml")[1]


@pytest.mark.django_db
def test_a_rejected_story_refreshes_nothing(client, member, moderator, committed):
    pending = testimonial_moderation.submit(author=member, content=story(title="Buy here"), is_carer=False)
    primed(client, "/testimonials/")

    with committed():
        testimonial_moderation.reject(pending, by=moderator, reason="Advertising.")

    assert fetch(client, "/testimonials/")[0] == "hit"


@pytest.mark.django_db
def test_withdrawing_a_testimonial_removes_it_through_the_site(client, approved, member, committed):
    primed(client, "/testimonials/")
    primed(client, approved.get_absolute_url())

    client.force_login(member)
    with committed():
        client.post(f"/testimonials/{approved.pk}/withdraw/")
    client.logout()

    assert "Sleeping better" not in fetch(client, "/testimonials/")[1]
    assert client.get(approved.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_deleting_a_testimonial_removes_it_through_the_site(client, approved, member, committed):
    primed(client, "/testimonials/")

    client.force_login(member)
    with committed():
        client.post(f"/testimonials/{approved.pk}/delete/")
    client.logout()

    assert "Sleeping better" not in fetch(client, "/testimonials/")[1]


@pytest.mark.django_db
def test_a_new_display_name_shows_on_every_page(client, article, other_article, member, committed):
    thread = Thread.objects.for_subject(article)
    comment_moderation.submit(thread, author=member, body="Hello from me.")
    assert "Member Max" in primed(client, article.get_absolute_url())
    primed(client, other_article.get_absolute_url())

    with committed():
        member.display_name = "Max Renamed"
        member.save()

    assert "Max Renamed" in fetch(client, article.get_absolute_url())[1]
    assert fetch(client, other_article.get_absolute_url())[0] == "miss"


@pytest.mark.django_db
def test_a_login_a_password_or_a_new_member_change_no_page(client, article, member, make_user, committed):
    primed(client, article.get_absolute_url())

    with committed():
        member.last_login = timezone.now()
        member.save(update_fields=["last_login"])
        member.set_password("another-horse-7")
        member.save()
        make_user(display_name="Newcomer")

    assert fetch(client, article.get_absolute_url())[0] == "hit"


@pytest.mark.django_db
def test_a_lost_tag_never_brings_back_old_pages(client, article, committed):
    primed(client, article.get_absolute_url())
    cache.delete(pagecache._tag_key(article.get_absolute_url()))  # evicted, or Redis restarted

    assert fetch(client, article.get_absolute_url())[0] == "miss"
    assert fetch(client, article.get_absolute_url())[0] == "hit"  # kept again under a new version


# --- Commits ----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_change_in_flight_keeps_nothing_else_from_being_stored(client, article, other_article, committed):
    primed(client, article.get_absolute_url())
    with committed(), transaction.atomic():
        article.title = "LDN basics, revised"
        article.save()
        # Before the change commits, other pages are stored and served as usual.
        assert fetch(client, other_article.get_absolute_url())[0] == "miss"
        assert fetch(client, other_article.get_absolute_url())[0] == "hit"

    assert fetch(client, other_article.get_absolute_url())[0] == "hit"
    state, html = fetch(client, article.get_absolute_url())
    assert state == "miss" and "LDN basics, revised" in html


@pytest.mark.django_db
def test_a_page_rendered_before_a_change_commits_is_not_served_after(client, article, committed):
    url = article.get_absolute_url()
    primed(client, url)
    request = RequestFactory().get(url)
    request.user = AnonymousUser()
    with committed(), transaction.atomic():
        article.title = "LDN basics, revised"
        article.save()
        Resource.objects.create(article=article, kind="video", title="A talk", url="https://example.org/t")
        # Meanwhile another process, which still reads the old rows, looks the page up and renders it...
        kept = pagecache._kept_page(request)
        kept.get()

    # ...and stores it after the commit.
    kept.set(HttpResponse("<h1>LDN basics</h1> (the old text)"), 600)

    state, html = fetch(client, url)
    assert state == "miss" and "LDN basics, revised" in html


@pytest.mark.django_db
def test_a_change_rolled_back_with_its_savepoint_refreshes_nothing(
    article, make_study, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        with transaction.atomic():
            study = make_study(title="Rolled back")  # registers a refresh inside this savepoint...
            transaction.set_rollback(True)  # ...which rolling back drops
        article.title = "Kept"
        article.save()

    refreshed = set().union(*(c.paths for c in callbacks if isinstance(c, pagecache.Refresh)))
    assert article.get_absolute_url() in refreshed
    assert study.get_absolute_url() not in refreshed


@pytest.mark.django_db
def test_a_scheduled_article_appears_on_cached_pages_when_its_time_comes(
    client, make_article, monkeypatch, committed
):
    goes_public = timezone.now() + timezone.timedelta(hours=1)
    with committed():
        make_article(title="Coming soon", published_at=goes_public)
    assert "Coming soon" not in primed(client, "/articles/")

    # An hour later, with nothing saved in between:
    later = goes_public + timezone.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)

    state, html = fetch(client, "/articles/")
    assert state == "miss" and "Coming soon" in html
    assert "Coming soon" in primed(client, "/")  # every page is refreshed, then kept again
