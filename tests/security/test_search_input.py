"""What an attacker or an unlucky visitor can type into the search box: never a 500, never script."""

import pytest
from django.urls import reverse

from tests.security.test_stored_xss import page_dangers
from tests.xss_payloads import XSS_PAYLOADS

URL = reverse("search:search")

SQL_METACHARACTERS = [
    "' OR '1'='1",
    "'; DROP TABLE articles_article; --",
    '""="" --',
    "%",
    "_",
    "%%",
    "\\",
    "\\'",
    "*",
    "a:*",
    "!",
    "&|!()",
    "<->",
    "'' ''",
    "1 UNION SELECT password FROM accounts_user",
    "$1",
    "%s",
    "{0}",
    "--",
    "/* */",
    ";",
]

ODD_UNICODE = [
    "\x00",
    "nal\x00trexone",
    "\u202enaltrexone",  # right-to-left override
    "nal\u200btrexone",  # zero-width space
    "💊🧠",
    "e\u0301\u0301\u0301\u0301",  # stacked combining accents
    "\ufeff",
    "\uffff\ufffe",
    "ß",
    "İstanbul",
    "中文 العربية עברית",
    "\U0001f9ea" * 500,
    "\ue000mark\ue001",  # the private-use characters the highlighter uses
]


@pytest.fixture
def content(make_article, make_study):
    study = make_study(title="Naltrexone and fatigue", main_result="Less fatigue.")
    make_article(title="What LDN is", body="Low dose naltrexone, explained.", studies=[study])


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_search_box_payloads_are_echoed_harmlessly(client, db, payload):
    response = client.get(URL, {"q": payload})

    assert response.status_code == 200
    assert page_dangers(response.content.decode()) == [], payload


@pytest.mark.parametrize("payload", XSS_PAYLOADS[::4])
def test_payloads_in_found_content_stay_harmless_in_results(client, make_article, payload):
    make_article(title=f"Payload holder {payload}", summary=f"Gecko {payload}", body=f"Gecko body {payload}")

    response = client.get(URL, {"q": "gecko"})

    assert response.status_code == 200
    assert "search-articles" in response.content.decode()
    assert page_dangers(response.content.decode()) == [], payload


@pytest.mark.parametrize("query", SQL_METACHARACTERS)
def test_sql_metacharacters_are_plain_text(client, content, query):
    response = client.get(URL, {"q": query})

    assert response.status_code == 200
    html = response.content.decode()
    # Nothing in the content contains these characters, so a match means the query escaped its quotes.
    assert "search-articles" not in html, query
    assert "search-studies" not in html, query


def test_sql_metacharacters_do_not_harm_the_data(client, content):
    from articles.models import Article

    before = Article.objects.count()
    for query in SQL_METACHARACTERS:
        client.get(URL, {"q": query})
    assert Article.objects.count() == before


@pytest.mark.parametrize("size", [10_000, 100_000])
def test_very_long_query_is_shortened_not_refused(client, content, size):
    query = ("naltrexone " * (size // 11 + 1))[:size]

    response = client.get(URL, {"q": query})

    assert response.status_code == 200
    html = response.content.decode()
    assert "used only its first 200 characters" in html
    assert "search-studies" in html
    assert len(html) < 60_000


def test_one_very_long_word_is_shortened_too(client, content):
    response = client.get(URL, {"q": "x" * 10_000})

    assert response.status_code == 200
    assert "used only its first 200 characters" in response.content.decode()


@pytest.mark.parametrize("query", ODD_UNICODE)
def test_odd_unicode_gets_a_page_not_an_error(client, content, query):
    response = client.get(URL, {"q": query})

    assert response.status_code == 200
    assert "\x00" not in response.content.decode()
    assert "\ue000" not in response.content.decode()


@pytest.mark.parametrize("raw", ["%ED%A0%80", "%FF%FE%FD", "%C0%AF", "%E2%82", "%00", "%F4%90%80%80"])
def test_malformed_utf8_in_the_address_gets_a_page(client, content, raw):
    response = client.get(f"{URL}?q={raw}")

    assert response.status_code == 200


def test_invisible_characters_do_not_split_a_word(client, content):
    for query in ["nal\u200btrexone", "nal\x00trexone", "\u202enaltrexone", "ｎａｌｔｒｅｘｏｎｅ"]:
        html = client.get(URL, {"q": query}).content.decode()
        assert "search-studies" in html, repr(query)


@pytest.mark.parametrize(
    "params",
    [{"q": ["a", "b"]}, {"q": "fatigue", "in": "<script>"}, {"q": "x", "in": "studies", "page": "-1"}],
)
def test_odd_parameters_get_a_page(client, content, params):
    response = client.get(URL, params)

    assert response.status_code == 200
    assert page_dangers(response.content.decode()) == []
