"""A comment's text as HTML, kept on its row: a page of 200 comments reads it rather than renders it.

Only ldnsite.markdown makes it (render_to_keep) and only ldnsite.markdown marks it safe (kept). It is made
when the text is written, by comments.moderation, the one place that writes a comment's text (the few bulk
writers, erasure and seed_volume, use text_fields() too; migration 0005 filled the existing rows with
render_to_keep), and made again when a page reads a row that another version of the renderer made
(up_to_date). Code that changes `body` in bulk must write text_fields(), not `body` alone.
"""

import logging

from django.db import DatabaseError, router, transaction
from django.db.models import Case, TextField, Value, When

from ldnsite import markdown

from .models import Comment

logger = logging.getLogger(__name__)

WRITE_BACK_BATCH = 100  # rows per UPDATE: five parameters each, well under SQLite's limit


def text_fields(body: str) -> dict[str, str]:
    """The fields that hold a comment's text: the Markdown, the HTML the renderer made of it, its version."""
    return {
        "body": body,
        "body_html": markdown.render_to_keep(body, mentions=True),
        "body_html_version": markdown.VERSION,
    }


def set_text(comment: Comment, body: str) -> list[str]:
    """Give `comment` this text and its HTML; returns the names of the fields to save."""
    fields = text_fields(body)
    for name, value in fields.items():
        setattr(comment, name, value)
    return list(fields)


def up_to_date(comments: list[Comment]) -> None:
    """Render again the comments whose HTML another version of the renderer made (or none), and keep it.

    Rendered on read rather than by a pass after each deploy: no page ever shows HTML an older renderer made
    (a sanitizer fix counts at once), and each row costs its render once, on the first page that shows it.
    The rows are written in one UPDATE per WRITE_BACK_BATCH, each only while its text is still the one
    rendered here, so an edit committed meanwhile keeps its own HTML. A failed write is logged and the page
    still shown: the next reader renders those rows again."""
    stale = [comment for comment in comments if comment.body_html_version != markdown.VERSION]
    for comment in stale:
        set_text(comment, comment.body)
    if not stale:
        return
    alias = router.db_for_write(Comment)
    try:
        with transaction.atomic(using=alias):
            for start in range(0, len(stale), WRITE_BACK_BATCH):
                batch = stale[start : start + WRITE_BACK_BATCH]
                unchanged = Case(
                    *[When(pk=c.pk, then=Value(c.body)) for c in batch], output_field=TextField()
                )
                html = Case(
                    *[When(pk=c.pk, then=Value(c.body_html)) for c in batch], output_field=TextField()
                )
                Comment.objects.using(alias).filter(pk__in=[c.pk for c in batch], body=unchanged).update(
                    body_html=html, body_html_version=markdown.VERSION
                )
    except DatabaseError:
        logger.warning(
            "Could not keep the HTML of %d comments; they are rendered again next time", len(stale)
        )
