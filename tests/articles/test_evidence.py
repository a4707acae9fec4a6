"""Study summaries and articles presented as a systematic review presents evidence (issue 17, items 12 and 9):
key messages, certainty apart from the evidence level, who reviewed and when, evidence current to a date,
numbered inline references and the editors' warnings about citations readers cannot see."""

import datetime
import re

import pytest

from articles.models import Study

FOUR_MESSAGES = "First point.\nSecond point.\n\nThird point.\nFourth point."


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def study_form(study: Study, **overrides) -> dict:
    """The admin change form for `study` as an editor would send it back."""
    data = {
        "title": study.title,
        "slug": study.slug,
        "authors": study.authors,
        "journal": study.journal,
        "year": str(study.year),
        "design": study.design,
        "participants_enrolled": str(study.participants_enrolled),
        "main_result": study.main_result,
        "plain_summary": study.plain_summary,
        "key_messages": study.key_messages,
        "certainty": study.certainty,
        "certainty_explanation": "",
        "reviewed_at": "",
        "reviewed_by": "",
    }
    data.update(overrides)
    return data


def section(html: str, heading_id: str) -> str:
    """The <section> labelled by the heading with this id."""
    match = re.search(rf'<section aria-labelledby="{heading_id}".*?</section>', html, re.S)
    assert match, heading_id
    return match.group(0)


# --- Key messages -------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("count", [0, 2, 6])
def test_published_summary_needs_three_to_five_key_messages(editor_client, make_study, count):
    study = make_study(key_messages=FOUR_MESSAGES)
    typed = "\n".join(f"Message {n}." for n in range(count))

    response = editor_client.post(
        f"/admin/articles/study/{study.pk}/change/", study_form(study, key_messages=typed)
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert f"A published summary needs 3 to 5 key messages, one per line; there are {count}." in page
    study.refresh_from_db()
    assert study.key_messages == FOUR_MESSAGES


@pytest.mark.django_db
def test_published_summary_saves_with_four_key_messages(editor_client, make_study):
    study = make_study()

    response = editor_client.post(
        f"/admin/articles/study/{study.pk}/change/", study_form(study, key_messages=FOUR_MESSAGES)
    )

    assert response.status_code == 302
    study.refresh_from_db()
    assert study.key_message_list == ["First point.", "Second point.", "Third point.", "Fourth point."]


@pytest.mark.django_db
def test_draft_may_have_fewer_key_messages_but_not_too_many(editor_client, make_study):
    draft = make_study(published=False)

    few = editor_client.post(
        f"/admin/articles/study/{draft.pk}/change/", study_form(draft, key_messages="One.")
    )
    many = editor_client.post(
        f"/admin/articles/study/{draft.pk}/change/", study_form(draft, key_messages="a\nb\nc\nd\ne\nf")
    )

    assert few.status_code == 302
    assert many.status_code == 200 and "there are 6." in many.content.decode()


@pytest.mark.django_db
def test_publish_action_refuses_summary_without_key_messages(editor_client, make_study):
    bare = make_study(published=False, title="Bare draft")
    ready = make_study(published=False, title="Ready draft", key_messages=FOUR_MESSAGES)

    response = editor_client.post(
        "/admin/articles/study/",
        {"action": "publish_selected", "_selected_action": [bare.pk, ready.pk]},
        follow=True,
    )

    page = response.content.decode()
    assert "Bare draft" in page and "was not published: A published summary needs 3 to 5" in page
    bare.refresh_from_db()
    ready.refresh_from_db()
    assert bare.status == "draft" and ready.status == "published"


@pytest.mark.django_db
def test_study_page_shows_key_messages_near_the_top(client, make_study):
    study = make_study(key_messages=FOUR_MESSAGES)

    html = client.get(study.get_absolute_url()).content.decode()

    box = section(html, "key-messages-heading")
    assert re.findall(r"<li>(.*?)</li>", box) == [
        "First point.",
        "Second point.",
        "Third point.",
        "Fourth point.",
    ]
    assert html.index("Key messages") < html.index("In plain language")


@pytest.mark.django_db
def test_key_messages_are_escaped(client, make_study):
    study = make_study(key_messages="<script>alert(1)</script>\nTwo\nThree")

    html = client.get(study.get_absolute_url()).content.decode()

    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html


# --- Certainty ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_study_page_explains_certainty_and_its_reasons_apart_from_the_level(client, make_study):
    study = make_study(
        design=Study.Design.SINGLE_ARM,
        participants_enrolled=40,
        certainty=Study.Certainty.VERY_LOW,
        certainty_reasons=["imprecision", "risk_of_bias"],
        certainty_explanation="An open pilot of 40 people.",
    )

    html = client.get(study.get_absolute_url()).content.decode()

    box = section(html, "certainty-heading")
    assert "How sure can we be?" in box
    assert "Very low certainty" in box and "the real effect may be quite different" in box
    # Reasons in plain words, in the order of the choices, and the editor's own sentence.
    assert box.index("Risk of bias") < box.index("Imprecision")
    assert "few people took part, so the result could easily be due to chance" in box
    assert "Inconsistency" not in box
    assert "An open pilot of 40 people." in box
    # The design-based level stays in the header, outside the certainty box.
    assert "Evidence level 4" not in box
    assert html.index("Evidence level 4") < html.index('aria-labelledby="certainty-heading"')


@pytest.mark.django_db
def test_study_without_certainty_shows_no_box(client, make_study):
    html = client.get(make_study().get_absolute_url()).content.decode()

    assert "How sure can we be?" not in html


@pytest.mark.django_db
def test_admin_refuses_reasons_without_a_certainty(editor_client, make_study):
    study = make_study(key_messages=FOUR_MESSAGES)

    response = editor_client.post(
        f"/admin/articles/study/{study.pk}/change/",
        study_form(study, certainty="", certainty_reasons=["imprecision"]),
    )

    assert response.status_code == 200
    assert "Choose the certainty that these reasons lower." in response.content.decode()


@pytest.mark.django_db
def test_admin_saves_certainty_reasons_and_review(editor_client, editor, make_study):
    study = make_study(key_messages=FOUR_MESSAGES)

    response = editor_client.post(
        f"/admin/articles/study/{study.pk}/change/",
        study_form(
            study,
            certainty="low",
            certainty_reasons=["imprecision", "indirectness"],
            reviewed_by=str(editor.pk),
            reviewed_at="2026-11-25",
        ),
    )

    assert response.status_code == 302
    study.refresh_from_db()
    assert study.certainty == "low" and study.certainty_reasons == ["imprecision", "indirectness"]
    assert study.reviewed_by == editor and study.reviewed_at == datetime.date(2026, 11, 25)


@pytest.mark.django_db
def test_study_list_shows_certainty_in_its_phone_cards(client, make_study):
    make_study(certainty=Study.Certainty.MODERATE)
    make_study()

    html = client.get("/studies/").content.decode()

    assert '<th scope="col">Certainty</th>' in html
    cells = re.findall(r'<td data-label="Certainty">(.*?)</td>', html)
    assert len(cells) == 2
    assert "Moderate" in cells[0] + cells[1] and "Not yet assessed" in cells[0] + cells[1]


# --- Reviewed by ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_study_page_says_who_reviewed_it_and_when(client, make_study, editor):
    study = make_study(reviewed_by=editor, reviewed_at=datetime.date(2026, 11, 25))

    html = client.get(study.get_absolute_url()).content.decode()

    assert 'Reviewed by Editor Eve on <time datetime="2026-11-25">25 November 2026</time>' in html


@pytest.mark.django_db
def test_review_date_stays_when_the_reviewer_is_deleted(client, make_study, make_user):
    reviewer = make_user(display_name="Gone Editor", is_staff=True)
    study = make_study(reviewed_by=reviewer, reviewed_at=datetime.date(2026, 11, 25))

    reviewer.delete()
    html = client.get(study.get_absolute_url()).content.decode()

    assert "Gone Editor" not in html
    assert 'Reviewed on <time datetime="2026-11-25">' in html


# --- Articles: evidence current to, numbered references ------------------------------------------------


@pytest.mark.django_db
def test_article_shows_evidence_current_to_near_the_top(client, make_article):
    article = make_article(last_reviewed_on=datetime.date(2026, 11, 25))

    html = client.get(article.get_absolute_url()).content.decode()

    assert "<dt>Evidence current to</dt>" in html
    assert html.index("Evidence current to") < html.index('<div class="prose">')


def reference_order(html: str) -> list[str]:
    """The slugs the reference list links to, in order, with each entry's number."""
    refs = section(html, "references-heading")
    return re.findall(r'<li id="ref-(\d+)" class="reference">.*?href="/studies/([-\w]+)/"', refs, re.S)


@pytest.mark.django_db
def test_inline_citations_are_numbered_by_first_appearance(client, make_article, make_study):
    first, second, uncited = (make_study(slug=slug) for slug in ("zeta-2010", "alpha-2012", "mid-2011"))
    body = (
        "Claim one [@alpha-2012]. Claim two [@zeta-2010]. Again [@alpha-2012].\n\n`[@zeta-2010]` in code, "
        "[a link [@mid-2011]](https://example.org/)."
    )
    article = make_article(studies=[first, second, uncited], body=body)

    html = client.get(article.get_absolute_url()).content.decode()

    prose = html.split('<div class="prose">')[1].split("</div>")[0]
    assert re.findall(r'<sup class="citation"><a href="#ref-(\d)">', prose) == ["1", "2", "1"]
    assert "<code>[@zeta-2010]</code>" in prose  # code is left as written, and a link's text
    assert ">a link [@mid-2011]</a>" in prose
    assert "Claim one<sup" in prose  # the number sits against the word it supports
    # Cited studies in order of first citation, then the one discussed but not cited inline.
    assert reference_order(html) == [("1", "alpha-2012"), ("2", "zeta-2010"), ("3", "mid-2011")]
    refs = section(html, "references-heading")
    assert (
        "Also discussed" in refs.split('id="ref-3"')[1]
        and "Also discussed" not in refs.split('id="ref-3"')[0]
    )
    assert (
        f'{first.authors}. <a href="/studies/zeta-2010/">{first.title}</a>. <cite>Mult Scler</cite> 2010.'
        in refs
    )


@pytest.mark.django_db
def test_citation_of_a_study_the_article_does_not_discuss_is_not_linked(client, make_article, make_study):
    other = make_study(slug="not-discussed")
    article = make_article(
        studies=[make_study(slug="discussed")], body="Yes [@discussed]. No [@not-discussed]."
    )

    html = client.get(article.get_absolute_url()).content.decode()

    assert "[@not-discussed]" not in html and other.get_absolute_url() not in html
    assert 'href="#ref-2"' not in html
    assert reference_order(html) == [("1", "discussed")]


@pytest.mark.django_db
def test_draft_study_citation_is_never_linked_for_the_public(client, make_article, make_study, member):
    draft = make_study(published=False, slug="secret-draft", title="Secret draft title")
    scheduled = make_study(
        slug="later-study", published_at=datetime.datetime(2099, 1, 1, tzinfo=datetime.UTC)
    )
    public = make_study(slug="public-one")
    article = make_article(
        studies=[draft, scheduled, public], body="A [@secret-draft]. B [@later-study]. C [@public-one]."
    )

    for reader in (None, member):
        if reader:
            client.force_login(reader)
        html = client.get(article.get_absolute_url()).content.decode()

        for hidden in ("secret-draft", "Secret draft title", "later-study"):
            assert hidden not in html, hidden
        assert reference_order(html) == [("1", "public-one")]
        assert "citations to fix" not in html


@pytest.mark.django_db
def test_editor_sees_unlinked_citations_marked_and_a_warning_naming_the_draft(
    client, make_article, make_study, editor
):
    draft = make_study(published=False, slug="secret-draft", title="Secret draft title")
    article = make_article(
        studies=[draft, make_study(slug="public-one")], body="A [@secret-draft]. B [@typo]."
    )
    client.force_login(editor)

    html = client.get(article.get_absolute_url()).content.decode()

    assert '<mark class="citation-unlinked">[@secret-draft]</mark>' in html
    assert '<mark class="citation-unlinked">[@typo]</mark>' in html
    warning = html.split('id="citation-problems-heading"')[1].split("</div>")[0]
    assert "[@secret-draft] cites a draft study" in warning and "Secret draft title" in warning
    assert "[@typo] is not one of the studies this article discusses" in warning
    assert 'href="/studies/secret-draft/"' not in html.split('<div class="prose">')[1].split("</div>")[0]
    assert reference_order(html) == [("1", "public-one")]


@pytest.mark.django_db
def test_saving_an_article_that_cites_a_draft_study_warns_the_editor(editor_client, make_study):
    from tests.articles.test_admin import article_form

    draft = make_study(published=False, title="Unfinished summary")
    public = make_study()

    response = editor_client.post(
        "/admin/articles/article/add/",
        article_form(body=f"See [@{draft.slug}] and [@{public.slug}].", studies=[draft.pk, public.pk]),
        follow=True,
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert f"[@{draft.slug}] cites a draft study, “{draft}”" in page.replace("&#x27;", "'")
    assert public.slug not in page.split("messagelist")[1].split("</ul>")[0]


@pytest.mark.django_db
def test_saving_an_article_without_problems_gives_no_warning(editor_client, make_study):
    from tests.articles.test_admin import article_form

    study = make_study()

    response = editor_client.post(
        "/admin/articles/article/add/",
        article_form(body=f"See [@{study.slug}].", studies=[study.pk]),
        follow=True,
    )

    assert 'class="warning"' not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("study_count", [1, 12])
@pytest.mark.parametrize("as_editor", [False, True])
def test_article_page_queries_do_not_grow_with_citations(
    client, make_article, make_study, editor, django_assert_num_queries, study_count, as_editor
):
    studies = [make_study(slug=f"cited-{n}", reviewed_by=editor) for n in range(study_count)]
    body = " ".join(f"Claim [@cited-{n}] and again [@cited-{n}]." for n in range(study_count))
    article = make_article(studies=studies, body=body + " [@cited-draft]")
    if as_editor:
        client.force_login(editor)
        client.get(article.get_absolute_url())  # the session's first read settles its own queries

    with django_assert_num_queries(7 if as_editor else 3):  # an editor's header counts their notifications
        html = client.get(article.get_absolute_url()).content.decode()

    assert html.count('<sup class="citation">') == 2 * study_count
    assert html.count('class="reference"') == study_count


# --- Item 9: the editor's page ------------------------------------------------------------------------


@pytest.mark.django_db
def test_markdown_preview_is_labelled_and_reachable(editor_client):
    page = editor_client.get("/admin/articles/article/add/").content.decode()

    assert '<h3 class="markdownx-preview-heading" id="id_body-preview-heading">Preview</h3>' in page
    assert (
        '<div class="markdownx-preview" role="region" tabindex="0" aria-labelledby="id_body-preview-heading">'
        in page
    )
    # The stylesheet that fits the page to a 1280 px window, and the script that lets Tab leave the box.
    assert "css/admin-editor.css" in page and "js/admin-editor.js" in page
