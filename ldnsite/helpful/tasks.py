"""The helpful app's job on the worker's clock."""

import logging

from celery import shared_task

from . import marks

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def check_helpful_counts() -> None:
    """Daily: recount the kept counts from the marks, correct any that drifted (a change made in a shell or
    a bulk load, outside mark() and unmark()) and log each correction so that someone can find its cause."""
    for (kind, object_id), (kept, true) in sorted(marks.rebuild().items()):
        logger.warning(
            "Helpful count of %s %s was %d, recounted as %d: corrected.", kind, object_id, kept, true
        )
