import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from testimonials.models import Change, SideEffect, TimeOnLDN
from testimonials.models import Testimonial as MemberTestimonial

URL = reverse("testimonials:summary")
SUPPRESSED = "fewer than 5"
Status = MemberTestimonial.Status


# What each report says unless a test says otherwise: no change, no side effect.
REPORT = {
    "title": "My months on LDN",
    "ms_type": "rrms",
    "dose_mg": Decimal("4.5"),
    "time_on_ldn": TimeOnLDN.MONTHS_6_12,
    "change": Change.NO_CHANGE,
    "side_effects": [],
    "narrative": "What it was like for me.",
}


@pytest.fixture
def make_testimonial(make_testimonial, make_user):
    """make_testimonial(status="approved", **fields) -> a report by one member, Storyteller."""
    author = make_user(display_name="Storyteller")

    def make(*, status: str = Status.APPROVED, **fields):
        return make_testimonial(state=status, author=author, content=REPORT, **fields)

    return make


class _SummaryParser(HTMLParser):
    """Reads each table as {caption: {row heading: cell}} and each inline SVG's accessible parts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, dict[str, str]] = {}
        self.svgs: list[dict] = []
        self.text: list[str] = []
        self._table = self._caption = self._row_heading = self._svg = None
        self._capture: list[str] | None = None
        self._svg_part: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self._table = {}
        elif tag == "caption" or (tag in ("th", "td") and self._table is not None):
            self._capture = []
        elif tag == "svg":
            self._svg = {"attrs": attrs, "title": "", "desc": "", "bars": 0, "texts": []}
        elif self._svg is not None and tag in ("title", "desc", "text"):
            self._svg_part, self._capture = tag, []
        elif self._svg is not None and tag == "rect" and "summary-svg-bar" in attrs.get("class", ""):
            self._svg["bars"] += 1

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        captured = " ".join("".join(self._capture or []).split())
        if tag == "caption":
            self._caption, self._capture = captured, None
        elif tag == "th" and self._table is not None:
            self._row_heading, self._capture = captured, None
        elif tag == "td" and self._table is not None:
            self._table[self._row_heading] = captured
            self._capture = None
        elif tag == "table":
            self.tables[self._caption] = self._table
            self._table = None
        elif tag in ("title", "desc", "text") and self._svg is not None:
            if tag == "text":
                self._svg["texts"].append(captured)
            else:
                self._svg[tag] = captured
            self._capture = None
        elif tag == "svg":
            self.svgs.append(self._svg)
            self._svg = None

    def handle_data(self, data):
        self.text.append(data)
        if self._capture is not None:
            self._capture.append(data)


def summary(client):
    response = client.get(URL)
    assert response.status_code == 200
    parser = _SummaryParser()
    parser.feed(response.content.decode())
    parser.close()
    parser.html = response.content.decode()
    parser.page_text = " ".join(" ".join(parser.text).split())
    return parser


def table(page, heading):
    return page.tables[f"{heading}: number of reports"]


@pytest.fixture
def known_reports(make_testimonial):
    """23 public reports whose every group size is different, with doses on each band edge."""
    rows = (
        # (how many, MS type, change, dose, side effects)
        [(6, "rrms", Change.MUCH_BETTER, "1.49", ["vivid_dreams", "sleep_problems"])]
        + [(5, "spms", Change.BETTER, "1.5", ["vivid_dreams"])]
        + [(7, "spms", Change.NO_CHANGE, "4.5", ["none"])]
        + [(3, "ppms", Change.WORSE, "2.99", ["headache", "vivid_dreams"])]
        + [(2, "cis", Change.BETTER, "4.51", [])]
    )
    for how_many, ms_type, change, dose, side_effects in rows:
        for _ in range(how_many):
            make_testimonial(ms_type=ms_type, change=change, dose_mg=Decimal(dose), side_effects=side_effects)


@pytest.mark.django_db
def test_counts_for_a_known_set_of_reports(client, known_reports):
    page = summary(client)

    assert table(page, "Type of MS") == {
        "Relapsing-remitting MS": "6",
        "Secondary-progressive MS": "12",
        "Primary-progressive MS": SUPPRESSED,
        "Clinically isolated syndrome": SUPPRESSED,
        "MS type not specified": SUPPRESSED,
    }
    assert table(page, "What changed, in members’ own view") == {
        "Much worse": SUPPRESSED,
        "A little worse": SUPPRESSED,
        "No change": "7",
        "A little better": "7",
        "Much better": "6",
    }
    assert table(page, "Side effects reported") == {
        "Vivid dreams": "14",
        "Sleep problems": "6",
        "Headache": SUPPRESSED,
        "Nausea": SUPPRESSED,
        "More tiredness": SUPPRESSED,
        "Anxiety or low mood": SUPPRESSED,
        "More stiffness or spasms": SUPPRESSED,
        "No side effects": "7",
    }
    assert table(page, "Daily dose of LDN") == {
        "Under 1.5 mg": "6",
        "1.5 mg to under 3 mg": "8",
        "3 mg to under 4.5 mg": SUPPRESSED,
        "4.5 mg": "7",
        "More than 4.5 mg": SUPPRESSED,
    }


@pytest.mark.django_db
def test_what_changed_is_shown_in_scale_order(client, known_reports):
    page = summary(client)

    rows = list(table(page, "What changed, in members’ own view"))

    assert rows == ["Much worse", "A little worse", "No change", "A little better", "Much better"]


@pytest.mark.django_db
@pytest.mark.parametrize("hidden_status", [Status.PENDING, Status.REJECTED, Status.WITHDRAWN])
def test_only_approved_reports_are_counted(client, make_testimonial, hidden_status):
    for _ in range(7):
        make_testimonial(ms_type="rrms", change=Change.MUCH_BETTER, dose_mg=Decimal("4.5"), side_effects=[])
    for _ in range(6):
        make_testimonial(
            status=hidden_status, ms_type="ppms", change=Change.MUCH_WORSE, dose_mg=Decimal("0.5"),
            side_effects=[SideEffect.NAUSEA],
        )  # fmt: skip

    page = summary(client)

    assert table(page, "Type of MS")["Relapsing-remitting MS"] == "7"
    assert table(page, "Type of MS")["Primary-progressive MS"] == SUPPRESSED
    assert table(page, "What changed, in members’ own view")["Much worse"] == SUPPRESSED
    assert table(page, "Side effects reported")["Nausea"] == SUPPRESSED
    assert table(page, "Daily dose of LDN")["Under 1.5 mg"] == SUPPRESSED
    assert "about 10 published reports" in page.page_text


@pytest.mark.django_db
@pytest.mark.parametrize("small", [1, 2, 3, 4])
def test_small_groups_show_no_number_bar_or_exact_total(client, make_testimonial, small):
    """Zero-sized groups also read "fewer than 5", so the other charts cannot give the total away."""
    for _ in range(20):
        make_testimonial(ms_type="rrms", change=Change.BETTER, side_effects=[SideEffect.HEADACHE])
    for _ in range(small):
        make_testimonial(
            ms_type="spms", change=Change.WORSE, dose_mg=Decimal("2"), side_effects=[SideEffect.NAUSEA]
        )
    exact_total = 20 + small

    page = summary(client)

    assert table(page, "Type of MS")["Secondary-progressive MS"] == SUPPRESSED
    ms_chart = next(svg for svg in page.svgs if svg["title"].startswith("Type of MS"))
    assert ms_chart["bars"] == 1
    assert "Secondary-progressive MS: fewer than 5" in ms_chart["desc"]
    assert not re.search(rf"\b({small}|{exact_total})\b", " ".join(ms_chart["texts"]))
    assert not re.search(rf"\b{exact_total}\b", page.page_text)
    assert "about 20 published reports" in page.page_text


@pytest.mark.django_db
@pytest.mark.parametrize("public_reports", [0, 1, 4])
def test_too_few_reports_show_only_a_message(client, make_testimonial, public_reports):
    for _ in range(public_reports):
        make_testimonial(ms_type="rrms", change=Change.MUCH_BETTER)
    for _ in range(5):
        make_testimonial(status=Status.PENDING, ms_type="rrms", change=Change.MUCH_BETTER)

    page = summary(client)

    assert "Too few members have shared their experience yet for a summary" in page.page_text
    assert page.svgs == []
    assert page.tables == {}
    assert "Relapsing-remitting" not in page.page_text


@pytest.mark.django_db
def test_five_reports_are_enough_for_a_summary(client, make_testimonial):
    for _ in range(5):
        make_testimonial(ms_type="rrms")

    page = summary(client)

    assert "Too few members" not in page.page_text
    assert table(page, "Type of MS")["Relapsing-remitting MS"] == "5"


@pytest.mark.django_db
def test_page_is_labelled_as_unverified_self_reports_with_links_to_evidence(client, known_reports):
    page = summary(client)

    assert re.search(r"<title>[^<]*unverified self-reports", page.html)
    assert "Unverified self-reports from members — not medical evidence" in page.page_text
    assert f'href="{reverse("articles:study_list")}"' in page.html
    assert f'href="{reverse("testimonials:list")}"' in page.html


@pytest.mark.django_db
def test_each_chart_is_an_accessible_image_with_a_data_table(client, known_reports):
    page = summary(client)

    assert len(page.svgs) == 4
    for svg in page.svgs:
        title_id, desc_id = svg["attrs"]["aria-labelledby"], svg["attrs"]["aria-describedby"]
        assert svg["attrs"]["role"] == "img"
        assert f'<title id="{title_id}">' in page.html
        assert f'<desc id="{desc_id}">' in page.html
        assert "self-reports" in svg["title"]
        assert svg["desc"].startswith("Horizontal bar chart")
        heading = svg["title"].split(":")[0]
        assert table(page, heading)
    assert page.html.count('<th scope="row">') == sum(len(rows) for rows in page.tables.values())
    assert page.html.count('<th scope="col">') == 2 * len(page.tables)


@pytest.mark.django_db
def test_bars_are_drawn_only_for_groups_shown_with_a_number(client, known_reports):
    page = summary(client)

    for svg in page.svgs:
        heading = svg["title"].split(":")[0]
        shown = [count for count in table(page, heading).values() if count != SUPPRESSED]
        assert svg["bars"] == len(shown)
        assert sorted(text for text in svg["texts"] if text.isdigit()) == sorted(shown)


@pytest.mark.django_db
def test_page_has_no_inline_styles_or_scripts(client, known_reports):
    page = summary(client)

    assert "style=" not in page.html
    # Only the site's own static scripts (base.html loads js/helpful.js), none written into the page.
    scripts = re.findall(r"<script[^>]*>(.*?)</script>", page.html, flags=re.S)
    assert re.findall(r"<script[^>]*>", page.html) == ['<script src="/static/js/helpful.js" defer>']
    assert scripts == [""]


@pytest.mark.django_db
def test_no_member_text_appears_on_the_summary(client, make_testimonial):
    for n in range(6):
        make_testimonial(
            title=f"Title marker {n} q7zv",
            narrative=f"Narrative marker q7zv <b>{n}</b>",
            side_effects_other="Other side effect marker q7zv",
            other_treatments="Treatment marker q7zv",
        )

    html = client.get(URL).content.decode()

    assert "q7zv" not in html
    assert "Storyteller" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("reports", [5, 60])
def test_summary_takes_the_same_queries_however_many_reports(
    client, make_testimonial, django_assert_max_num_queries, reports
):
    for n in range(reports):
        make_testimonial(
            ms_type=["rrms", "spms", "ppms"][n % 3],
            change=Change.values[n % 5],
            dose_mg=Decimal("1") + n % 6,
            side_effects=[SideEffect.values[n % 8]],
        )

    with django_assert_max_num_queries(1):
        response = client.get(URL)

    assert response.status_code == 200
