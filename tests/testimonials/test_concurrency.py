"""Two moderators decide on the same testimonial at the same moment: one decision counts, the other is told.

The race test needs real row locks and two real connections, so it runs on PostgreSQL only (CI runs the suite
there too: DATABASE_URL=postgres://... pytest tests/testimonials/test_concurrency.py).
"""

import threading
import time
from decimal import Decimal

import pytest
from django.db import connection

from ldnsite.moderation.exceptions import InvalidTransition
from ldnsite.moderation.models import ModerationEvent
from testimonials import moderation
from testimonials.models import Testimonial

# pytest would try to collect the model class as a test because its name starts with "Test".
Testimonial.__test__ = False

CONTENT = {
    "title": "Walking further since spring",
    "ms_type": "spms",
    "dose_mg": Decimal("3"),
    "time_on_ldn": "1-2y",
    "change": "better",
    "narrative": "I walk to the shop again.",
}


@pytest.fixture
def slow_log(monkeypatch):
    """Each decision holds its lock a moment longer (while writing the log), so that the other moderator
    surely arrives while it is held: without the lock both would then read "pending" and both would win."""
    record = moderation.record

    def slow_record(*args, **kwargs):
        time.sleep(0.2)
        return record(*args, **kwargs)

    monkeypatch.setattr(moderation, "record", slow_record)


@pytest.fixture
def moderators(moderator, other_moderator):
    return [moderator, other_moderator]


def decide_at_once(decisions) -> list:
    """Run each decision in its own thread and database connection, released together by a barrier.
    Returns what each returned or raised, in order."""
    barrier = threading.Barrier(len(decisions))
    outcomes = [None] * len(decisions)

    def run(index, decision):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = decision()
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test looks at
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, decision)) for i, decision in enumerate(decisions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a decision hung: the lock was never released"
    return outcomes


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("rounds", range(3))
def test_two_moderators_deciding_at_once_record_exactly_one_decision(moderators, make_user, slow_log, rounds):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite has no row locks and serialises writers on one file")
    first, second = moderators
    testimonial = moderation.submit(author=make_user(), content=CONTENT, is_carer=False)

    outcomes = decide_at_once(
        [
            lambda: moderation.approve(Testimonial.objects.get(pk=testimonial.pk), by=first),
            lambda: moderation.reject(
                Testimonial.objects.get(pk=testimonial.pk), by=second, reason="Off topic"
            ),
        ]
    )

    won = [outcome for outcome in outcomes if isinstance(outcome, Testimonial)]
    told = [outcome for outcome in outcomes if isinstance(outcome, InvalidTransition)]
    assert len(won) == 1 and len(told) == 1, outcomes
    decisions = ModerationEvent.objects.filter(object_id=testimonial.pk, action__in=["approve", "reject"])
    assert decisions.count() == 1
    testimonial.refresh_from_db()
    assert testimonial.status == won[0].status
    assert testimonial.moderated_by == decisions.get().actor == (first if won[0].is_public else second)


@pytest.mark.django_db(transaction=True)
def test_two_moderators_approving_at_once_publish_once(moderators, make_user, slow_log):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite has no row locks and serialises writers on one file")
    testimonial = moderation.submit(author=make_user(), content=CONTENT, is_carer=False)

    outcomes = decide_at_once(
        [
            lambda by=by: moderation.approve(Testimonial.objects.get(pk=testimonial.pk), by=by)
            for by in moderators
        ]
    )

    assert sum(isinstance(outcome, Testimonial) for outcome in outcomes) == 1, outcomes
    assert sum(isinstance(outcome, InvalidTransition) for outcome in outcomes) == 1, outcomes
    assert ModerationEvent.objects.filter(object_id=testimonial.pk, action="approve").count() == 1


@pytest.mark.django_db
def test_a_decision_on_a_stale_copy_is_refused(moderators, make_user):
    """Both moderators loaded the pending testimonial; the second decides after the first."""
    first, second = moderators
    testimonial = moderation.submit(author=make_user(), content=CONTENT, is_carer=False)
    seen_by_second = Testimonial.objects.get(pk=testimonial.pk)

    moderation.approve(testimonial, by=first)
    with pytest.raises(InvalidTransition):
        moderation.reject(seen_by_second, by=second, reason="Off topic")

    seen_by_second.refresh_from_db()
    assert seen_by_second.status == Testimonial.Status.APPROVED and seen_by_second.moderated_by == first
    assert list(
        ModerationEvent.objects.filter(object_id=testimonial.pk).values_list("action", flat=True)
    ) == ["approve", "submit"]


@pytest.mark.django_db(transaction=True)
def test_decisions_at_once_on_different_stories_each_move_the_summary_counts(moderators, make_user, slow_log):
    """Each decision locks the counters it moves, in key order: decisions sharing counters wait for each other
    (no lost update) and never lock in opposite orders (no deadlock)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite has no row locks and serialises writers on one file")
    from testimonials.counts import count_reports

    first, second = moderators
    contents = [
        {**CONTENT, "ms_type": "rrms", "side_effects": ["nausea", "headache"]},
        {**CONTENT, "ms_type": "spms", "side_effects": ["headache", "nausea"]},
        {**CONTENT, "ms_type": "rrms", "side_effects": ["vivid_dreams"]},
    ]
    stories = [moderation.submit(author=make_user(), content=c, is_carer=False) for c in contents]
    moderation.approve(stories[2], by=first)

    outcomes = decide_at_once(
        [
            lambda: moderation.approve(stories[0], by=first),
            lambda: moderation.approve(stories[1], by=second),
            lambda: moderation.withdraw(stories[2], by=stories[2].author),
        ]
    )

    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    counts = count_reports()
    assert (counts["total"], counts["ms_rrms"], counts["ms_spms"]) == (2, 1, 1)
    effects = [counts[f"side_effect_{value}"] for value in ("nausea", "headache", "vivid_dreams")]
    assert effects == [2, 2, 0]
