"""Citation downloads: each published study as an RIS and a BibTeX file a reference manager can import."""

import pytest
from django.utils import timezone

from articles.citations import parse_authors, parse_details, to_bibtex
from tests.factories import CREE_2010 as CREE


def ris_lines(response) -> list[str]:
    text = response.content.decode()
    assert text.endswith("\r\n")
    return text.split("\r\n")[:-1]


@pytest.mark.django_db
def test_ris_download_carries_the_full_citation(client, make_study):
    make_study(**CREE)

    response = client.get("/studies/cree-2010/cite.ris")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/x-research-info-systems")
    assert response["Content-Disposition"] == 'attachment; filename="cree-2010.ris"'
    lines = ris_lines(response)
    assert lines[0] == "TY  - JOUR"
    assert lines[-1] == "ER  - "
    assert [line for line in lines if line.startswith("AU")] == [
        "AU  - Cree, B. A. C.",
        "AU  - Kornyeyeva, E.",
        "AU  - Goodin, D. S.",
    ]
    for line in [
        "TI  - Pilot trial of low-dose naltrexone and quality of life in multiple sclerosis",
        "JO  - Ann Neurol",
        "PY  - 2010",
        "VL  - 68",
        "IS  - 2",
        "SP  - 145",
        "EP  - 150",
        "DO  - 10.1002/ana.22006",
        "AN  - 20695007",
        "DB  - PubMed",
        "UR  - https://doi.org/10.1002/ana.22006",
    ]:
        assert line in lines


@pytest.mark.django_db
def test_a_line_break_in_a_field_cannot_start_a_new_ris_tag(client, make_study):
    make_study(**{**CREE, "title": "A title\r\nER  - \r\nTY  - JOUR\nTI  - Forged"})

    lines = ris_lines(client.get("/studies/cree-2010/cite.ris"))

    assert "TI  - A title ER - TY - JOUR TI - Forged" in lines
    assert [line for line in lines if line.startswith(("TY", "ER"))] == ["TY  - JOUR", "ER  - "]


@pytest.mark.django_db
def test_bibtex_download_is_one_article_entry(client, make_study):
    make_study(**CREE)

    response = client.get("/studies/cree-2010/cite.bib")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/x-bibtex")
    assert response["Content-Disposition"] == 'attachment; filename="cree-2010.bib"'
    text = response.content.decode()
    assert text.startswith("@article{cree-2010,\n")
    assert "  author = {Cree, B. A. C. and Kornyeyeva, E. and Goodin, D. S.},\n" in text
    assert (
        "  title = {{Pilot trial of low-dose naltrexone and quality of life in multiple sclerosis}},\n"
        in text
    )
    assert "  pages = {145--150},\n" in text
    assert "  doi = {10.1002/ana.22006},\n" in text
    assert "  pmid = {20695007},\n" in text
    assert text.endswith("}\n")


@pytest.mark.django_db
def test_bibtex_escapes_latex_special_characters(make_study):
    study = make_study(
        **{
            **CREE,
            "title": r"50% of {MS} & $5 #1 my_var \x ~ ^",
            "journal": "J_{Neuro}",
            "citation_details": "",
        }
    )

    text = to_bibtex(study)

    title = r"50\% of \{MS\} \& \$5 \#1 my\_var \textbackslash{}x \textasciitilde{} \textasciicircum{}"
    assert f"  title = {{{{{title}}}}},\n" in text
    assert r"  journal = {J\_\{Neuro\}}," in text
    # Braces stay balanced, so the entry cannot be closed early by a field's text.
    unescaped = text.replace(r"\{", "").replace(r"\}", "")
    assert unescaped.count("{") == unescaped.count("}")


@pytest.mark.django_db
def test_bibtex_marks_a_shortened_author_list_and_keeps_group_names_whole(make_study):
    study = make_study(**{**CREE, "authors": "Gironi M, ... Comi G, MS Study Group, et al."})

    assert "  author = {Gironi, M. and Comi, G. and {MS Study Group} and others},\n" in to_bibtex(study)


@pytest.mark.django_db
@pytest.mark.parametrize("extension", ["ris", "bib"])
def test_drafts_and_scheduled_studies_offer_no_citation_even_to_editors(
    client, editor, make_study, extension
):
    make_study(slug="draft-study", published=False)
    make_study(slug="scheduled-study", published_at=timezone.now() + timezone.timedelta(days=3))
    client.force_login(editor)

    assert client.get(f"/studies/draft-study/cite.{extension}").status_code == 404
    assert client.get(f"/studies/scheduled-study/cite.{extension}").status_code == 404
    assert client.get(f"/studies/no-such-study/cite.{extension}").status_code == 404


@pytest.mark.django_db
def test_study_page_links_to_both_downloads_only_when_published(client, editor, make_study):
    make_study(**CREE)
    make_study(slug="draft-study", published=False)

    page = client.get("/studies/cree-2010/").content.decode()
    assert 'href="/studies/cree-2010/cite.ris"' in page
    assert 'href="/studies/cree-2010/cite.bib"' in page

    client.force_login(editor)
    draft = client.get("/studies/draft-study/").content.decode()
    assert "cite.ris" not in draft and "cite.bib" not in draft


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("68(2):145-50", ("68", "2", "145", "150")),
        ("35(5):609-11", ("35", "5", "609", "611")),
        ("16(8):964-9", ("16", "8", "964", "969")),
        ("12(11):e0187423", ("12", "11", "e0187423", "")),
        ("2:2055217316672242", ("2", "", "2055217316672242", "")),
        ("Suppl 1", ("", "", "", "")),
        ("", ("", "", "", "")),
    ],
)
def test_volume_issue_and_pages_are_read_from_the_citation_details(text, expected):
    details = parse_details(text)
    assert (details.volume, details.issue, details.start_page, details.end_page) == expected


def test_authors_are_split_on_commas_into_surnames_and_initials():
    authors = parse_authors("Cree BAC,  Kornyeyeva E , Goodin DS")
    assert [author.full for author in authors] == ["Cree, B. A. C.", "Kornyeyeva, E.", "Goodin, D. S."]
