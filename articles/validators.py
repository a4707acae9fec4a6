import datetime
import re

from django.core.exceptions import ValidationError
from django.utils import timezone

DOI_PATTERN = re.compile(r"^10\.\d{4,9}/\S+$")
PMID_PATTERN = re.compile(r"^[1-9]\d{0,8}$")
REGISTRY_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9-]{3,40}$")
PUBLICATION_DATE_PATTERN = re.compile(r"\d{4}-\d{2}(-\d{2})?")


def validate_doi(value: str) -> None:
    if not DOI_PATTERN.match(value):
        raise ValidationError(
            "Enter the DOI on its own, starting with “10.”, for example 10.1002/ana.22006 "
            "(without “doi:” or “https://doi.org/”)."
        )


def validate_pmid(value: str) -> None:
    if not PMID_PATTERN.match(value):
        raise ValidationError("A PubMed ID is a number of up to nine digits, for example 20695007.")


def validate_registry_id(value: str) -> None:
    if not REGISTRY_PATTERN.match(value):
        raise ValidationError(
            "Enter a trial registry number such as NCT00501696 (letters, digits and hyphens)."
        )


def validate_not_future_year(value: int) -> None:
    if value > timezone.now().year:
        raise ValidationError(f"{value} is in the future: enter the year the study was published.")


def validate_publication_date(value: str) -> None:
    """A paper's publication date as precise as the journal gives it: YYYY-MM-DD, or YYYY-MM (an issue's
    month). ISO 8601 either way, as schema.org's datePublished takes it."""
    if not PUBLICATION_DATE_PATTERN.fullmatch(value):
        raise ValidationError(
            "Enter the date as YYYY-MM-DD, or as YYYY-MM when the journal gives only the month (2010-08)."
        )
    try:
        datetime.date.fromisoformat(value if len(value) == 10 else f"{value}-01")
    except ValueError:
        raise ValidationError(f"{value} is not a date in the calendar.") from None
