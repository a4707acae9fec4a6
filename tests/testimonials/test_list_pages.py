"""The list of member experiences pages without counting or skipping through every story (ldnsite.paging):
the same stories, numbers and answers to odd page numbers as before, a bounded count said in words, a fixed
number of queries, and filters a reader may use one at a time."""

import re

import pytest

from tests.factories import story

LIST = "/testimonials/"
CARD = 'class="card experience-card"'


def text(html: str) -> str:
    """The page's main text, tags and runs of spaces flattened."""
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


@pytest.fixture
def stories(make_testimonial, make_user):
    """stories(n, **content) -> n approved stories, newest last, each by a new member."""

    def make(n: int, **content):
        return [
            make_testimonial(author=make_user(), content=story(title=f"Story {i:02d}", **content))
            for i in range(n)
        ]

    return make


# --- filters ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_filters_can_be_sent_one_at_a_time(client, db):
    """A browser refuses to send a form with an empty `required` select: a reader who picks only a type of
    MS must be able to send it (issue 17)."""
    html = client.get(LIST).content.decode()
    selects = re.findall(r"<select[^>]*>", html)
    assert len(selects) == 3  # and the order, which always has a value
    assert all("required" not in select for select in selects)


FILTERS = [
    ({}, {"rrms-better", "ppms-better", "rrms-worse"}),
    ({"ms_type": "rrms"}, {"rrms-better", "rrms-worse"}),
    ({"change": "better"}, {"rrms-better", "ppms-better"}),
    ({"ms_type": "rrms", "change": "worse"}, {"rrms-worse"}),
    ({"ms_type": "spms"}, set()),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("chosen", "found"), FILTERS)
def test_any_subset_of_filters_finds_the_same_stories_and_says_how_many(
    client, make_testimonial, make_user, chosen, found
):
    for ms_type, change in (("rrms", "better"), ("ppms", "better"), ("rrms", "worse")):
        content = story(title=f"Marker {ms_type}-{change}", ms_type=ms_type, change=change)
        make_testimonial(author=make_user(), content=content)
    # What the form sends: every select, the ones left alone empty.
    query = "&".join(f"{name}={chosen.get(name, '')}" for name in ("ms_type", "change"))

    response = client.get(f"{LIST}?{query}")

    html = response.content.decode()
    assert response.status_code == 200
    assert set(re.findall(r"Marker (\w+-\w+)", html)) == found
    if chosen:
        match = "matches" if len(found) == 1 else "match"
        assert f"{len(found)} experience{'' if len(found) == 1 else 's'} {match} your choice." in text(html)
    else:
        assert "3 experiences." in text(html)


# --- pages ----------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("asked", "status", "first_shown"),
    [
        ("", 200, 24),
        ("1", 200, 24),
        ("2", 200, 4),
        ("last", 200, 4),
        ("3", 404, None),
        ("99", 404, None),
        ("9" * 400, 404, None),
        ("0", 404, None),
        ("-1", 404, None),
        ("two", 404, None),
        ("2.0", 404, None),
    ],
)
def test_each_page_number_answers_as_before(client, stories, asked, status, first_shown):
    stories(25)

    response = client.get(LIST + (f"?page={asked}" if asked else ""))

    assert response.status_code == status
    if first_shown is not None:
        html = response.content.decode()
        titles = re.findall(r"Story (\d\d)", html)
        assert titles[0] == f"{first_shown:02d}" and len(set(titles)) == (20 if first_shown == 24 else 5)
        assert "Page " + ("1" if first_shown == 24 else "2") + " of 2" in html
        assert "25 experiences." in text(html)


@pytest.mark.django_db
def test_a_long_list_says_more_than_what_it_counted_and_stops_at_its_last_page(client, stories, settings):
    settings.LIST_MAX_PAGES = 2
    stories(45)

    first = client.get(LIST).content.decode()
    last = client.get(f"{LIST}?page=2").content.decode()

    assert "More than 40 experiences." in text(first)
    assert "Page 1 of more than 2" in text(first) and "page=2" in first
    # Page 2 is the last one shown: no link to a page that does not exist, and a sentence saying why.
    assert "Page 2 of more than 2" in text(last) and 'rel="next"' not in last
    assert "The list goes on, but pages after this one are not shown." in text(last)
    assert re.findall(r"Story (\d\d)", last)[0] == "24"
    assert client.get(f"{LIST}?page=3").status_code == 404
    assert "Page 2 of more than 2" in text(client.get(f"{LIST}?page=last").content.decode())


@pytest.mark.django_db
def test_a_list_that_fills_its_pages_exactly_is_not_more(client, stories, settings):
    settings.LIST_MAX_PAGES = 2
    stories(40)

    html = client.get(f"{LIST}?page=2").content.decode()

    assert "40 experiences." in text(html) and "more than" not in text(html).lower()
    assert "The list goes on" not in html


@pytest.mark.django_db
def test_a_filtered_long_list_is_capped_on_what_it_matches(client, stories, settings):
    settings.LIST_MAX_PAGES = 1
    stories(21, ms_type="ppms")
    stories(5, ms_type="rrms")

    assert "More than 20 experiences match your choice." in text(
        client.get(f"{LIST}?ms_type=ppms").content.decode()
    )
    assert "5 experiences match your choice." in text(client.get(f"{LIST}?ms_type=rrms").content.decode())


# --- cost -----------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "?page=2", "?ms_type=rrms", "?ms_type=rrms&change=better&page=2"])
def test_a_page_of_the_list_is_one_query_for_few_stories_or_many(
    client, stories, settings, django_assert_num_queries, query
):
    """The page's stories, their authors and the capped count come in one statement, at any volume."""
    settings.PAGE_CACHE_SECONDS = 0
    stories(21, ms_type="rrms", change="better")
    with django_assert_num_queries(1):
        assert client.get(LIST + query).status_code == 200
    stories(30, ms_type="rrms", change="better")
    with django_assert_num_queries(1):
        html = client.get(LIST + query).content.decode()
    assert html.count(CARD) == 20


@pytest.mark.django_db
def test_a_page_past_the_end_costs_one_count_more(client, stories, settings, django_assert_num_queries):
    settings.PAGE_CACHE_SECONDS = 0
    stories(3)
    with django_assert_num_queries(1):
        assert client.get(f"{LIST}?page=2").status_code == 404
    with django_assert_num_queries(2):  # "last" needs the number of pages first
        assert client.get(f"{LIST}?page=last").status_code == 200
