"""What search engines, link previews and feed readers learn about an article or a study summary.

Plain Python dicts (schema.org JSON-LD) and plain-text descriptions; templates emit them through the
`structured_data` tags, which escape the JSON so that no text written by an editor can end the script element.
"""

from typing import Any

from django.conf import settings
from django.utils import timezone

from .citations import parse_authors, parse_details
from .models import Article, Study

SCHEMA = "https://schema.org"
MULTIPLE_SCLEROSIS = {"@type": "MedicalCondition", "name": "Multiple sclerosis"}


def study_facts(study: Study) -> str:
    """One plain sentence a reader can weigh a study by: design, size and evidence level."""
    level = study.evidence_level_description
    return (
        f"{study.get_design_display()}; {study.participants_enrolled} participants enrolled; "
        f"evidence level {study.evidence_level} of 5 (1 is strongest): {level[0].lower()}{level[1:]}."
    )


def study_reference(study: Study) -> str:
    """The citation line as shown on the study page: authors. Journal year;details."""
    details = f";{study.citation_details}" if study.citation_details else ""
    return f"{study.authors}. {study.journal} {study.year}{details}."


def study_heading(study: Study) -> str:
    return f"{study.first_author} {study.year}: {study.title}"


def public_studies(article: Article) -> list[Study]:
    """The article's studies that anyone may read, from the prefetched set (no extra query)."""
    now = timezone.now()
    return [
        study
        for study in article.studies.all()
        if study.is_published and study.published_at is not None and study.published_at <= now
    ]


def _identifiers(study: Study) -> list[dict[str, str]]:
    pairs = [("DOI", study.doi), ("PMID", study.pmid), ("Trial registry number", study.registry_id)]
    return [{"@type": "PropertyValue", "propertyID": name, "value": value} for name, value in pairs if value]


def _periodical(study: Study) -> dict[str, Any]:
    """Journal, volume and issue nested the way schema.org describes a journal article's place."""
    details = parse_details(study.citation_details)
    part: dict[str, Any] = {"@type": "Periodical", "name": study.journal}
    if details.volume:
        part = {"@type": "PublicationVolume", "volumeNumber": details.volume, "isPartOf": part}
    if details.issue:
        part = {"@type": "PublicationIssue", "issueNumber": details.issue, "isPartOf": part}
    return part


def scholarly_article(study: Study) -> dict[str, Any]:
    """The published paper a study summary describes."""
    details = parse_details(study.citation_details)
    data: dict[str, Any] = {
        "@type": "ScholarlyArticle",
        "name": study.title,
        "author": [{"@type": "Person", "name": author.full} for author in parse_authors(study.authors)],
        # As precise as the journal gives it (YYYY-MM or YYYY-MM-DD), else the year alone.
        "datePublished": study.publication_date or str(study.year),
        "isPartOf": _periodical(study),
    }
    if details.start_page:
        data["pageStart"] = details.start_page
    if details.end_page:
        data["pageEnd"] = details.end_page
    identifiers = _identifiers(study)
    if identifiers:
        data["identifier"] = identifiers
    same_as = [url for url in (study.doi_url, study.pubmed_url) if url]
    if same_as:
        data["sameAs"] = same_as
    return data


def _summary_page(study: Study, site_url: str) -> dict[str, str]:
    """This site's page about the paper: the page whose main entity the paper is."""
    return {"@type": "WebPage", "@id": site_url + study.get_absolute_url()}


def study_json_ld(study: Study, *, site_url: str) -> dict[str, Any]:
    """A study summary page: its main entity is the paper it summarises. `site_url`: ldnsite.http.site_url."""
    return {
        "@context": SCHEMA,
        **scholarly_article(study),
        "description": study_facts(study),
        "about": MULTIPLE_SCLEROSIS,
        "mainEntityOfPage": _summary_page(study, site_url),
    }


def article_json_ld(article: Article, *, site_url: str) -> dict[str, Any]:
    """An article page: a medical web page for patients, citing the published study summaries it discusses.
    `site_url`: ldnsite.http.site_url."""
    url = site_url + article.get_absolute_url()
    data: dict[str, Any] = {
        "@context": SCHEMA,
        "@type": "MedicalWebPage",
        "@id": url,
        "url": url,
        "name": article.title,
        "headline": article.title,
        "description": article.summary,
        "inLanguage": "en-GB",
        "datePublished": article.published_at.isoformat() if article.published_at else None,
        "dateModified": article.updated_at.isoformat(),
        "lastReviewed": article.last_reviewed_on.isoformat() if article.last_reviewed_on else None,
        "author": {
            "@type": "Organization" if article.author.is_team_account else "Person",
            "name": article.author.display_name,
        },
        "publisher": {"@type": "Organization", "name": settings.SITE_NAME, "url": site_url + "/"},
        "about": MULTIPLE_SCLEROSIS,
        "citation": [
            {**scholarly_article(study), "mainEntityOfPage": _summary_page(study, site_url)}
            for study in public_studies(article)
        ],
    }
    return {key: value for key, value in data.items() if value not in (None, [])}
