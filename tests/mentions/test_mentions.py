"""@mentions in comments, through HTTP: stored as the member's id, shown with their name of the day, linked
to their page only where they have one, at most ten a post, nothing injected through a name, and a page of
comments costs the same queries whatever their number of mentions."""

import json
import re
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.utils.html import escape

from ldnsite.accounts import names
from ldnsite.comments import moderation
from ldnsite.comments.models import Comment, Thread
from ldnsite.mentions.text import mentioned_members
from tests.accounts.test_member_data import download
from tests.html_safety import find_dangers


@pytest.fixture(autouse=True)
def _no_hold_fresh_pages(settings):
    settings.COMMENTS_HOLD_FIRST_COMMENT = False
    settings.COMMENTS_RATE_MEMBER = settings.COMMENTS_RATE_NEW_MEMBER = (1000, 60)
    settings.PAGE_CACHE_SECONDS = settings.FRAGMENT_CACHE_SECONDS = 0


@pytest.fixture
def article(make_article):
    return make_article()


@pytest.fixture
def with_page(make_user, make_article):
    """with_page(display_name) -> a member with a public page (a published comment under their name)."""

    def make(display_name: str):
        member = make_user(display_name=display_name)
        moderation.submit(Thread.objects.for_subject(make_article()), author=member, body="Hello all.")
        return member

    return make


def post(client, author, article, body: str):
    client.force_login(author)
    return client.post(f"/comments/article/{article.slug}/new/", {"body": body, "token": str(uuid.uuid4())})


def page(client, article) -> str:
    client.logout()
    return client.get(article.get_absolute_url()).content.decode()


def comment_bodies(html: str) -> str:
    return "".join(re.findall(r'<div class="comment-body prose">(.*?)</div>', html, re.DOTALL))


def test_a_mention_keeps_the_members_id_and_shows_their_current_name(client, article, make_user, with_page):
    ada = with_page("Ada Lovelace")
    author = make_user()

    assert post(client, author, article, "Thanks @Ada Lovelace, that helped.").status_code == 302

    comment = Comment.objects.get(author=author)
    assert comment.body == f"Thanks @[{ada.pk}], that helped."
    html = comment_bodies(page(client, article))
    assert f'<a class="mention" href="/members/{ada.pk}/">@Ada Lovelace</a>, that helped.' in html

    names.change_display_name(ada, "Ada King", by=ada)

    html = comment_bodies(page(client, article))
    assert f'<a class="mention" href="/members/{ada.pk}/">@Ada King</a>' in html
    assert "Lovelace" not in html


def test_a_rename_reaches_pages_the_cache_kept(
    client, settings, article, make_user, with_page, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = settings.FRAGMENT_CACHE_SECONDS = 600
    ada = with_page("Ada Lovelace")
    with django_capture_on_commit_callbacks(execute=True):
        post(client, make_user(), article, "Ask @Ada Lovelace.")
    assert "@Ada Lovelace" in page(client, article)
    kept = client.get(article.get_absolute_url())
    assert kept["X-Cache"] == "hit" and "@Ada Lovelace" in kept.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        names.change_display_name(ada, "Ada King", by=ada)

    html = page(client, article)
    assert "@Ada King" in html and "Lovelace" not in html


def test_the_name_is_linked_only_where_the_member_has_a_page(client, article, make_user, with_page):
    shown = with_page("Public Pat")
    quiet = make_user(display_name="Quiet Quinn")  # nothing public: no member page

    post(client, make_user(), article, "@Public Pat and @Quiet Quinn")

    html = comment_bodies(page(client, article))
    assert f'<a class="mention" href="/members/{shown.pk}/">@Public Pat</a>' in html
    assert '<span class="mention">@Quiet Quinn</span>' in html
    assert f"/members/{quiet.pk}/" not in html
    assert client.get(f"/members/{quiet.pk}/").status_code == 404


def test_unknown_names_stay_text_and_the_longest_name_wins(client, article, make_user):
    ada, lovelace = make_user(display_name="Ada"), make_user(display_name="Ada Lovelace")
    author = make_user()

    typed = "@ada lovelace and @Ada. Not @Adam, @Nobody Here, ada@example.org, https://example.social/@Ada"

    post(client, author, article, typed)

    body = Comment.objects.get(author=author).body
    assert body == f"@[{lovelace.pk}] and @[{ada.pk}]." + typed.split(".", 1)[1]
    html = comment_bodies(page(client, article))
    assert "@Adam, @Nobody Here" in html


def test_names_in_other_scripts_match_ignoring_case(client, article, make_user):
    emile, zoe = make_user(display_name="Émile Ça"), make_user(display_name="Зоя")
    author = make_user()

    post(client, author, article, "@émile ça and @ЗОЯ")

    assert Comment.objects.get(author=author).body == f"@[{emile.pk}] and @[{zoe.pk}]"


def test_names_in_code_are_left_as_typed(client, article, make_user):
    make_user(display_name="Ada")
    author = make_user()

    post(client, author, article, "Type `@Ada` like this:\n\n    @Ada in a block\n\n```\n@Ada fenced\n```")

    assert "@[" not in Comment.objects.get(author=author).body


def test_more_than_ten_members_are_refused_and_the_text_is_kept(client, article, make_user):
    members = [make_user(display_name=f"Friend {letter}") for letter in "ABCDEFGHIJK"]
    author = make_user()
    body = " ".join(f"@{member.display_name}" for member in members) + " TEXT-KEPT"

    response = post(client, author, article, body)

    assert response.status_code == 400
    html = response.content.decode()
    assert "This mentions 11 members; a post can mention at most 10." in html
    assert "@Friend K TEXT-KEPT</textarea>" in html
    assert not Comment.objects.filter(author=author).exists()
    # Ten is allowed, and one member named twice counts once.
    assert post(client, author, article, body.replace("@Friend K", "@Friend A")).status_code == 302


def test_a_typed_id_mentions_nobody(client, article, make_user):
    secret = make_user(display_name="Secret Sam")
    author = make_user()

    post(client, author, article, f"Who is @[{secret.pk}]?")

    assert "Secret Sam" not in page(client, article)
    assert f"@[{secret.pk}]?" in comment_bodies(page(client, article))
    assert mentioned_members(Comment.objects.get(author=author).body, author_id=author.pk) == []


def test_markup_typed_as_a_placeholder_is_text(client, article, make_user):
    secret = make_user(display_name="Secret Sam")

    post(client, make_user(), article, f'<span class="mention" data-member="{secret.pk}">@member</span>')

    assert "Secret Sam" not in page(client, article)


def test_other_texts_show_an_id_as_typed(client, make_article, make_user):
    secret = make_user(display_name="Secret Sam")
    article = make_article(body=f"Editors writing @[{secret.pk}] mention nobody.")

    html = page(client, article)
    assert f"@[{secret.pk}] mention nobody" in html and "Secret Sam" not in html


@pytest.mark.parametrize(
    "evil",
    [
        "<script>alert(1)</script>",
        "Tom & \"Jerry\" 'x'",
        "**b** [x](javascript:alert(1))",
        "<img src=x onerror=alert(1)>",
        '"><svg onload=alert(1)>',
    ],
)
def test_no_markup_gets_in_through_a_name(client, article, make_user, with_page, evil):
    target = with_page("Plain Name")
    post(client, make_user(), article, "Hi @Plain Name!")
    # Display names are checked on every form; an administrator's shell is not.
    get_user_model().objects.filter(pk=target.pk).update(display_name=evil)

    html = page(client, article)
    body = comment_bodies(html)
    assert find_dangers(body) == []
    assert f">@{escape(evil)}</a>" in body
    assert "alert(1)" not in html.replace(escape(evil), "")  # the name appears, escaped, and nowhere raw
    assert "&lt;" in body or "&amp;" in body or "**b**" in body


def test_a_deleted_member_shows_as_a_former_member(client, article, make_user, with_page):
    gone = with_page("Gone Gail")
    post(client, make_user(), article, "Thanks @Gone Gail.")

    gone.delete()

    html = comment_bodies(page(client, article))
    assert '<span class="mention-former">a former member</span>.' in html
    assert "Gail" not in html


def test_a_mention_inside_a_link_is_a_name_without_a_link_of_its_own(client, article, make_user, with_page):
    ada = with_page("Ada")
    post(client, make_user(), article, "[ask @Ada](https://example.org/)")

    body = comment_bodies(page(client, article))
    assert '<span class="mention">@Ada</span></a>' in body
    assert f"/members/{ada.pk}/" not in body


def test_the_edit_form_shows_names_and_saving_keeps_the_mentions(client, article, make_user, with_page):
    ada = with_page("Ada Lovelace")
    author = make_user()
    post(client, author, article, "Thanks @Ada Lovelace")
    comment = Comment.objects.get(author=author)

    form = client.get(f"/comments/{comment.pk}/edit/").content.decode()
    assert "Thanks @Ada Lovelace</textarea>" in form and "@[" not in form

    client.post(f"/comments/{comment.pk}/edit/", {"body": "Thanks again @Ada Lovelace"})
    comment.refresh_from_db()
    assert comment.body == f"Thanks again @[{ada.pk}]"


@pytest.mark.parametrize("roots", [2, 200])
def test_a_page_of_comments_with_mentions_costs_the_same_queries(
    client, make_article, make_user, django_assert_max_num_queries, roots
):
    article = make_article()
    thread = Thread.objects.for_subject(article)
    author = make_user()
    members = [make_user(display_name=f"Named {n}") for n in range(min(roots, 40))]
    for n in range(roots):
        first, second = members[n % len(members)], members[(n + 1) % len(members)]
        root = moderation.submit(thread, author=author, body=f"@[{first.pk}] root {n}")
        moderation.submit(thread, author=author, body=f"@[{second.pk}] reply", parent=root)

    # The article, its studies, its resources, the page of roots, the replies, and every name on the page.
    with django_assert_max_num_queries(6):
        html = client.get(article.get_absolute_url()).content.decode()

    assert html.count('class="mention"') == 2 * min(roots, 20)
    assert "@member" not in html


def test_the_members_own_download_shows_the_names_they_typed(client, article, make_user, with_page):
    ada = with_page("Ada Lovelace")
    author = make_user()
    post(client, author, article, "Thanks @Ada Lovelace")
    gone = with_page("Gone Gail")
    post(client, author, article, "And @Gone Gail")
    gone.delete()
    names.change_display_name(ada, "Ada King", by=ada)

    client.logout()
    _, data = download(client, author)
    text = json.dumps(data)
    assert "Thanks @Ada King" in text and "And a former member" in text and "@[" not in text


def test_a_reply_email_names_the_member_mentioned(
    client, article, make_user, with_page, mailoutbox, django_capture_on_commit_callbacks
):
    ada = with_page("Ada Lovelace")  # mentions are e-mailed at once by default
    with django_capture_on_commit_callbacks(execute=True):
        post(client, make_user(), article, "Over to you @Ada Lovelace")

    sent = [mail for mail in mailoutbox if ada.email in mail.to]
    assert len(sent) == 1
    assert "mentioned you" in sent[0].body
    assert "Over to you @Ada Lovelace" in sent[0].body and "@[" not in sent[0].body


# -- who a post mentions, for notifications -----------------------------------------------------------------


def test_mentioned_members_are_the_existing_others_in_order_each_once(make_user):
    author, ada, ben = make_user(), make_user(), make_user()
    inactive = make_user(is_active=False)
    text = f"@[{ben.pk}] @[{ada.pk}] @[{ben.pk}] @[{author.pk}] @[{inactive.pk}] @[999999] @\\[{ada.pk}]"

    assert mentioned_members(text, author_id=author.pk) == [ben.pk, ada.pk]
    assert mentioned_members(text, author_id=author.pk, before=f"Earlier @[{ben.pk}]") == [ada.pk]
    assert mentioned_members("no mentions", author_id=author.pk) == []


def test_mentioned_members_stop_at_ten(make_user):
    members = [make_user() for _ in range(12)]
    text = " ".join(f"@[{member.pk}]" for member in members)

    assert mentioned_members(text, author_id=None) == [member.pk for member in members[:10]]
