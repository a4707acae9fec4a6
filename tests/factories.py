"""Plain data builders shared by several test modules."""

import uuid
from decimal import Decimal


def story(**overrides) -> dict:
    """The content of a member experience, as the testimonial transitions take it."""
    content = {
        "title": "My months on LDN",
        "ms_type": "rrms",
        "dose_mg": Decimal("4.5"),
        "time_on_ldn": "3-6m",
        "change": "better",
        "side_effects": ["vivid_dreams"],
        "side_effects_other": "",
        "other_treatments": "",
        "narrative": "Afternoons are easier now.",
        "display_as": "display_name",
    }
    content.update(overrides)
    return content


def experience_form(**overrides) -> dict:
    """A complete, valid /testimonials/new/ submission as the browser sends it, with a fresh token."""
    data = {
        "ms_type": "rrms",
        "dose_mg": "4.5",
        "time_on_ldn": "6-12m",
        "other_treatments": "",
        "change": "better",
        "side_effects": ["vivid_dreams"],
        "side_effects_other": "",
        "title": "Calmer evenings",
        "narrative": "I sleep through the night more often.",
        "display_as": "ms_type",
        "written_as": "self",
        "declaration": "on",
        "consent": "on",
        "token": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def own_callbacks(callbacks: list) -> list:
    """The after-commit callbacks that hand queued e-mail to the worker (one per transaction with mail)."""
    from ldnsite.mail import tasks

    return [callback for callback in callbacks if callback is tasks.request_delivery]


# The bibliographic facts of Cree 2010 (../shared/data/ldn-ms-studies.md), for citation and metadata tests.
CREE_2010 = {
    "slug": "cree-2010",
    "title": "Pilot trial of low-dose naltrexone and quality of life in multiple sclerosis",
    "authors": "Cree BAC, Kornyeyeva E, Goodin DS",
    "journal": "Ann Neurol",
    "year": 2010,
    "citation_details": "68(2):145-50",
    "doi": "10.1002/ana.22006",
    "pmid": "20695007",
}
