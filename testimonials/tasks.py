"""The experiences app's job on the worker's clock."""

import logging

from celery import shared_task

from . import counts

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def check_summary_counts() -> None:
    """Daily: recount the summary page's counters from the public stories, correct any that drifted (a bulk
    change made outside the transitions, say) and log each correction so that someone can find its cause."""
    for key, (kept, true) in sorted(counts.rebuild().items()):
        logger.warning("Summary counter %s was %d, recounted as %d: corrected.", key, kept, true)
