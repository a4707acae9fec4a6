import re

from django.core.exceptions import ValidationError
from django.utils import timezone

DOI_PATTERN = re.compile(r"^10\.\d{4,9}/\S+$")
PMID_PATTERN = re.compile(r"^[1-9]\d{0,8}$")
REGISTRY_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9-]{3,40}$")


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
