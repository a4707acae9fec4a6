"""A study's citation as RIS and BibTeX files, for reference managers (Zotero, EndNote, Mendeley, JabRef).

Only published study summaries offer downloads: the link is shown on public pages, and an editor's draft may
still hold citation details nobody has checked against the paper.
"""

import re
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from .models import Study

# "68(2):145-50", "12:e0214", "20(Suppl 1)", "68": volume, (issue), :pages; anything else is not parsed.
_DETAILS = re.compile(
    r"^\s*(?P<volume>\d[\w.]*)?\s*(?:\((?P<issue>[^()]+)\))?\s*"
    r"(?::\s*(?P<start>[\w.]+)(?:\s*[-–]\s*(?P<end>[\w.]+))?)?\s*\.?\s*$"
)
# "Cree BAC": a surname followed by up to four initials, the Vancouver style PubMed uses.
_VANCOUVER = re.compile(r"^(?P<surname>.+?)\s+(?P<initials>[A-Z]{1,4})$")
# Markers of a shortened author list: "et al." at the end, or an ellipsis where authors were left out.
_OMITTED = re.compile(r"^(?:et al\.?|\.\.\.|…)\s*|\s*\bet al\.?$", re.IGNORECASE)

RIS_CONTENT_TYPE = "application/x-research-info-systems; charset=utf-8"
BIBTEX_CONTENT_TYPE = "application/x-bibtex; charset=utf-8"


@dataclass(frozen=True)
class Details:
    volume: str = ""
    issue: str = ""
    start_page: str = ""
    end_page: str = ""


@dataclass(frozen=True)
class Author:
    surname: str
    initials: str = ""  # "B. A. C."; empty for a group author ("MS Study Group") or an unparsed name

    @property
    def is_person(self) -> bool:
        return bool(self.initials)

    @property
    def full(self) -> str:
        return f"{self.surname}, {self.initials}" if self.initials else self.surname


def parse_details(text: str) -> Details:
    """Volume, issue and pages from a citation like "68(2):145-50" (abbreviated end pages are expanded)."""
    match = _DETAILS.match(text or "")
    if not match or not any(match.groupdict().values()):
        return Details()
    start, end = match["start"] or "", match["end"] or ""
    if start.isdigit() and end.isdigit() and len(end) < len(start):
        end = start[: len(start) - len(end)] + end  # 145-50 -> 145-150
    return Details(volume=match["volume"] or "", issue=match["issue"] or "", start_page=start, end_page=end)


def parse_authors(text: str) -> list[Author]:
    """The comma-separated authors field as people (surname and initials) or group names."""
    authors = []
    for part in (text or "").split(","):
        name = _OMITTED.sub("", " ".join(part.split()))
        if not name:
            continue
        match = _VANCOUVER.match(name)
        if match:
            initials = " ".join(f"{letter}." for letter in match["initials"])
            authors.append(Author(surname=match["surname"], initials=initials))
        else:
            authors.append(Author(surname=name))
    return authors


def is_abridged(text: str) -> bool:
    """Whether the authors field leaves some authors out ("et al.", "...")."""
    return any(_OMITTED.search(" ".join(part.split())) for part in (text or "").split(","))


def _one_line(value: str) -> str:
    # A line break inside a value would start a new RIS tag ("ER  - ") or a new BibTeX field.
    return " ".join(str(value).split())


def to_ris(study: Study) -> str:
    """The study as one RIS record (JOUR); PubMed's ID goes in AN with DB naming the database."""
    details = parse_details(study.citation_details)
    lines = [("TY", "JOUR")]
    lines += [("AU", author.full) for author in parse_authors(study.authors)]
    lines += [
        ("TI", study.title),
        ("JO", study.journal),
        ("PY", str(study.year)),
        ("VL", details.volume),
        ("IS", details.issue),
        ("SP", details.start_page),
        ("EP", details.end_page),
        ("DO", study.doi),
        ("AN", study.pmid),
        ("DB", "PubMed" if study.pmid else ""),
        ("UR", study.doi_url),
        ("UR", study.pubmed_url),
    ]
    body = "".join(f"{tag}  - {_one_line(value)}\r\n" for tag, value in lines if _one_line(value))
    return body + "ER  - \r\n"


_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def bibtex_escape(value: str) -> str:
    """Text safe inside a braced BibTeX field: LaTeX's special characters become their escaped forms."""
    return "".join(_BIBTEX_SPECIAL.get(char, char) for char in _one_line(value))


def _bibtex_author(author: Author) -> str:
    if author.is_person:
        return f"{bibtex_escape(author.surname)}, {bibtex_escape(author.initials)}"
    # Braces keep a group name whole: BibTeX would otherwise read "MS Study Group" as first and last names.
    return "{" + bibtex_escape(author.surname) + "}"


def to_bibtex(study: Study) -> str:
    """The study as one @article entry keyed by its slug."""
    details = parse_details(study.citation_details)
    pages = details.start_page
    if details.end_page:
        pages = f"{details.start_page}--{details.end_page}"
    authors = [_bibtex_author(author) for author in parse_authors(study.authors)]
    if authors and is_abridged(study.authors):
        authors.append("others")  # BibTeX styles print "et al."
    fields = [
        ("author", " and ".join(authors)),
        # Double braces keep the title's capitals (BibTeX styles lowercase titles otherwise).
        ("title", "{" + bibtex_escape(study.title) + "}"),
        ("journal", bibtex_escape(study.journal)),
        ("year", str(study.year)),
        ("volume", bibtex_escape(details.volume)),
        ("number", bibtex_escape(details.issue)),
        ("pages", bibtex_escape(pages)),
        ("doi", bibtex_escape(study.doi)),
        ("pmid", bibtex_escape(study.pmid)),
        ("url", bibtex_escape(study.doi_url or study.pubmed_url)),
    ]
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields if value)
    key = re.sub(r"[^\w:-]", "", study.slug)
    return f"@article{{{key},\n{body}}}\n"


def _download(study: Study, text: str, *, content_type: str, extension: str) -> HttpResponse:
    response = HttpResponse(text, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{study.slug}.{extension}"'
    return response


def cite_ris(request: HttpRequest, slug: str) -> HttpResponse:
    study = get_object_or_404(Study.objects.public(), slug=slug)
    return _download(study, to_ris(study), content_type=RIS_CONTENT_TYPE, extension="ris")


def cite_bibtex(request: HttpRequest, slug: str) -> HttpResponse:
    study = get_object_or_404(Study.objects.public(), slug=slug)
    return _download(study, to_bibtex(study), content_type=BIBTEX_CONTENT_TYPE, extension="bib")
