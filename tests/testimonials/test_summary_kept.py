"""The summary's counters are kept by the transitions: every way a story becomes public or stops being public
moves them, the page reads nothing else, and the daily recount on the worker corrects what went around."""

import logging
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ldnsite.accounts.data import delete_member
from testimonials import moderation
from testimonials.counts import count_reports
from testimonials.models import Testimonial as MemberTestimonial
from testimonials.tasks import check_summary_counts
from tests import factories
from tests.testimonials.test_summary_counts import recount_public_stories

URL = reverse("testimonials:summary")


def rrms_shown(client) -> str:
    html = client.get(URL).content.decode()
    table = html.split("Type of MS: number of reports", 1)[1].split("</table>", 1)[0]
    row = table.split("Relapsing-remitting", 1)[1].split("</tr>", 1)[0]
    return row.split("<td", 1)[1].split(">", 1)[1].split("</td>", 1)[0].strip()


@pytest.mark.django_db
def test_the_page_follows_each_decision_at_once(client, make_testimonial, make_user):
    authors = [make_user() for _ in range(7)]
    stories = [make_testimonial(author=author, ms_type="rrms") for author in authors]
    make_testimonial(ms_type="spms")  # enough reports in all for a summary after the removals below
    make_testimonial(ms_type="spms")
    assert rrms_shown(client) == "7"

    client.force_login(authors[0])
    assert client.post(reverse("testimonials:withdraw", args=[stories[0].pk])).status_code == 302
    assert rrms_shown(client) == "6"

    client.force_login(authors[1])
    assert client.post(reverse("testimonials:delete", args=[stories[1].pk])).status_code == 302
    assert rrms_shown(client) == "5"

    delete_member(authors[2], keep_experiences=False)
    assert rrms_shown(client) == "fewer than 5"

    delete_member(authors[3], keep_experiences=True)  # kept, anonymised: still counted
    assert rrms_shown(client) == "fewer than 5"
    assert count_reports()["ms_rrms"] == 4


@pytest.mark.django_db
def test_an_approved_revision_moves_the_story_between_groups(make_testimonial, moderator):
    story = make_testimonial(ms_type="rrms", change="better", side_effects=["nausea"], dose_mg=Decimal("3"))
    revision = moderation.edit(
        story,
        by=story.author,
        content={
            "ms_type": "spms",
            "change": "better",
            "side_effects": ["headache"],
            "dose_mg": Decimal("4.5"),
        },
    )
    before = count_reports()
    assert (before["ms_rrms"], before["ms_spms"], before["side_effect_nausea"]) == (1, 0, 1)

    moderation.approve_revision(revision, by=moderator)

    after = count_reports()
    assert after == recount_public_stories()
    assert (after["total"], after["ms_rrms"], after["ms_spms"], after["change_better"]) == (1, 0, 1, 1)
    assert (after["side_effect_nausea"], after["side_effect_headache"], after["dose_4_5"]) == (0, 1, 1)


@pytest.mark.django_db
def test_rejected_and_pending_changes_leave_the_counts_alone(make_testimonial, moderator):
    story = make_testimonial(ms_type="rrms")
    revision = moderation.edit(story, by=story.author, content={**factories.story(), "ms_type": "ppms"})
    moderation.reject_revision(revision, by=moderator, reason="Please say which type your neurologist gave.")
    make_testimonial(state="pending", ms_type="rrms")
    make_testimonial(state="rejected", ms_type="rrms")

    assert count_reports() == recount_public_stories()
    assert count_reports()["ms_rrms"] == 1


@pytest.mark.django_db
@pytest.mark.parametrize("stories", [1, 30])
def test_the_page_reads_the_counters_and_never_the_stories(client, make_testimonial, stories):
    for _ in range(stories):
        make_testimonial()

    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200

    assert len(queries) == 1
    assert "testimonials_testimonial" not in queries[0]["sql"]


@pytest.mark.django_db
def test_the_daily_recount_corrects_and_logs_what_went_around_the_transitions(
    client, make_testimonial, caplog, django_capture_on_commit_callbacks
):
    for ms_type in ["rrms"] * 6 + ["spms"] * 2:
        make_testimonial(ms_type=ms_type)
    # A change made behind the transitions' back (a bulk update in a shell, say): the counters miss it.
    MemberTestimonial.objects.filter(
        pk__in=MemberTestimonial.objects.filter(ms_type="rrms").values("pk")[:2]
    ).update(status="withdrawn")
    assert rrms_shown(client) == "6"

    with (
        caplog.at_level(logging.WARNING, logger="testimonials.tasks"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        check_summary_counts.delay()
        corrections = [r.getMessage() for r in caplog.records if r.name == "testimonials.tasks"]
        caplog.clear()
        check_summary_counts.delay()
        again = [r.getMessage() for r in caplog.records if r.name == "testimonials.tasks"]

    assert rrms_shown(client) == "fewer than 5"
    assert count_reports() == recount_public_stories()
    assert "Summary counter ms_rrms was 6, recounted as 4: corrected." in corrections
    assert again == []


@pytest.mark.django_db
def test_bulk_seeded_stories_are_counted(settings):
    from django.core.management import call_command

    settings.DEBUG = True
    call_command("seed_volume", articles=1, studies=1, testimonials=60, comments=0, members=5, yes=True)

    assert count_reports() == recount_public_stories()
    assert count_reports()["total"] > 40


@pytest.mark.django_db(transaction=True)
def test_the_migration_counts_stories_published_before_it(make_testimonial):
    before = [("testimonials", "0003_search_document")]
    for ms_type in ("rrms", "rrms", "spms"):
        make_testimonial(ms_type=ms_type)
    make_testimonial(state="withdrawn", ms_type="rrms")
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes("testimonials")
    executor.migrate(before)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(latest)

    assert count_reports() == recount_public_stories()
    assert (count_reports()["total"], count_reports()["ms_rrms"]) == (3, 2)
