"""Abuse: huge and pathological input gets a 4xx or a bounded render, never a 500; odd query strings never
500; bursts of comments, testimonials and failed logins are throttled for the abuser and not for others."""

import uuid

import pytest
from django.contrib.auth import get_user_model

import testimonials.models as testimonial_models
from ldnsite.comments.models import Comment
from ldnsite.markdown import render
from tests.factories import experience_form
from tests.html_safety import find_dangers

PASSWORD = "correct-horse-9"
ONE_MB = "a" * (1024 * 1024)


# --- Huge and deeply nested Markdown -----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["editor", "member"])
def test_one_megabyte_preview_is_refused_with_4xx(client, editor, member, who):
    client.force_login(editor if who == "editor" else member)
    response = client.post("/markdownx/markdownify/", {"content": "**x** " + ONE_MB})
    assert 400 <= response.status_code < 500


@pytest.mark.django_db
def test_one_megabyte_comment_is_refused_with_4xx_and_not_stored(client, member, make_article):
    article = make_article()
    client.force_login(member)
    response = client.post(
        f"/comments/article/{article.slug}/new/", {"body": ONE_MB, "token": str(uuid.uuid4())}
    )
    assert 400 <= response.status_code < 500
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_one_megabyte_testimonial_is_refused_with_4xx_and_not_stored(client, member):
    client.force_login(member)
    response = client.post("/testimonials/new/", experience_form(narrative=ONE_MB))
    assert 400 <= response.status_code < 500
    response = client.post("/testimonials/new/", experience_form(narrative=ONE_MB, preview="1"))
    assert response.status_code < 500
    assert not testimonial_models.Testimonial.objects.exists()


def _indented_list(levels: int) -> str:
    return "".join(" " * (4 * i) + "- item\n" for i in range(levels))


NESTED = {
    "blockquotes": ">" * 5000 + " deep",
    "blockquotes_spaced": "> " * 5000 + "deep",
    "emphasis": "*" * 5000 + "x" + "*" * 5000,
    "emphasis_mixed": "*_" * 2500 + "x" + "_*" * 2500,
    "strong_links": "[**" * 2000 + "x" + "**](https://example.org)" * 2000,
    "brackets": "[" * 10000 + "x" + "]" * 10000,
    "bullet_lists": "- " * 2000 + "x",
    "ordered_lists": "1. " * 2000 + "x",
    "indented_lists": _indented_list(150),
    "code_spans": "`" * 10000,
    "html_tags": "<div>" * 5000 + "x",
    "entities": "&#x" * 10000,
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", NESTED)
def test_deeply_nested_markdown_renders_or_is_refused_without_error(client, editor, name):
    text = NESTED[name]
    html = render(text)  # no exception, and it returns
    assert isinstance(html, str)
    assert find_dangers(html) == []
    client.force_login(editor)
    response = client.post("/markdownx/markdownify/", {"content": text})
    assert response.status_code in (200, 400)


@pytest.mark.django_db
def test_two_thousand_nested_lists_in_a_comment_do_not_break_the_page(
    client, settings, make_user, make_article
):
    settings.COMMENTS_HOLD_FIRST_COMMENT = False
    article = make_article()
    client.force_login(make_user())
    body = "- " * 2000 + "x"
    response = client.post(
        f"/comments/article/{article.slug}/new/", {"body": body, "token": str(uuid.uuid4())}
    )
    assert response.status_code in (302, 400)
    assert client.get(f"/articles/{article.slug}/").status_code == 200


# --- Odd query strings -------------------------------------------------------------------------------------

ODD_VALUES = [
    "x" * 10_240,
    "%ff%fe%00",
    "%00",
    "%C0%AF",
    "\u202e\u0000",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "-1",
    "0",
    "99999999999999999999999999",
    "1e309",
    "NaN",
    "last",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "year&sort=design&sort=-n",
    "../../etc/passwd",
]


def _quote(value: str) -> str:
    from urllib.parse import quote

    return value if "%" in value else quote(value, safe="&=")


@pytest.mark.django_db
@pytest.mark.parametrize("value", ODD_VALUES)
def test_odd_query_strings_on_list_pages_never_give_500(client, make_study, make_article, value):
    make_study()
    make_article()
    q = _quote(value)
    urls = [
        f"/studies/?sort={q}",
        f"/studies/?sort={q}&page={q}",
        f"/testimonials/?ms_type={q}&change={q}&page={q}",
        f"/testimonials/?page={q}",
        f"/articles/?page={q}",
        f"/?q={q}",
        f"/members/1/?page={q}",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code < 500, (url[:100], response.status_code)
        if response.status_code == 200:
            assert "<script>alert(1)</script>" not in response.content.decode()


# --- Rate limits -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_burst_of_fifty_comments_from_a_new_account_is_throttled_but_others_can_post(
    client, settings, make_user, make_article
):
    settings.COMMENTS_HOLD_FIRST_COMMENT = False
    article = make_article()
    spammer = make_user(display_name="Burst Bo")
    client.force_login(spammer)
    codes = [
        client.post(
            f"/comments/article/{article.slug}/new/", {"body": f"Spam {i}", "token": str(uuid.uuid4())}
        ).status_code
        for i in range(50)
    ]
    allowed, _period = settings.COMMENTS_RATE_NEW_MEMBER
    assert codes[:allowed] == [302] * allowed
    assert set(codes[allowed:]) == {429}
    assert Comment.objects.filter(author=spammer).count() == allowed

    other = make_user(display_name="Calm Cal")
    client.force_login(other)
    response = client.post(
        f"/comments/article/{article.slug}/new/", {"body": "A real comment.", "token": str(uuid.uuid4())}
    )
    assert response.status_code == 302
    assert Comment.objects.filter(author=other).count() == 1


@pytest.mark.django_db
def test_twenty_testimonials_from_a_new_account_are_throttled_but_others_can_submit(
    client, settings, make_user
):
    spammer = make_user(display_name="Burst Bo")
    client.force_login(spammer)
    codes = [
        client.post("/testimonials/new/", experience_form(title=f"Story {i}")).status_code for i in range(20)
    ]
    allowed = settings.TESTIMONIALS_PER_DAY_NEW_MEMBER
    assert codes[:allowed] == [302] * allowed
    assert set(codes[allowed:]) == {429}
    assert testimonial_models.Testimonial.objects.filter(author=spammer).count() == allowed

    other = make_user(display_name="Calm Cal")
    client.force_login(other)
    assert client.post("/testimonials/new/", experience_form(title="Mine")).status_code == 302
    assert testimonial_models.Testimonial.objects.filter(author=other).count() == 1


def _log_in(client, email: str, password: str, ip: str = "10.0.0.1"):
    return client.post("/accounts/login/", {"login": email, "password": password}, REMOTE_ADDR=ip)


@pytest.mark.django_db
def test_repeated_failed_logins_lock_the_account_but_not_others(client, make_user):
    target = make_user()
    bystander = make_user()
    for _ in range(5):
        response = _log_in(client, target.email, "wrong-password-1")
        assert "_auth_user_id" not in client.session
    # Now even the right password is refused for this account, from another address too...
    response = _log_in(client, target.email, PASSWORD, ip="10.0.0.2")
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 429)
    # ...while another member logs in from the same address.
    response = _log_in(client, bystander.email, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(bystander.pk)


@pytest.mark.django_db
def test_repeated_failed_logins_from_one_address_are_throttled_per_ip(client, make_user):
    users = [make_user() for _ in range(4)]
    for user in users[:3]:
        for _ in range(4):  # under the per-account limit, over the per-address one in total
            _log_in(client, user.email, "wrong-password-1", ip="10.9.9.9")
    victim = users[3]
    response = _log_in(client, victim.email, PASSWORD, ip="10.9.9.9")
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 429)
    response = _log_in(client, victim.email, PASSWORD, ip="10.9.9.10")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(victim.pk)
    assert get_user_model().objects.filter(pk=victim.pk, is_active=True).exists()
