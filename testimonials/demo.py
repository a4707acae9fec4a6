"""This app's demo and volume-test content, built for the demo app's commands (ldnsite/demo)."""

from decimal import Decimal

from django.utils import timezone

from ldnsite.choices import MSType
from ldnsite.demo.builders import Volume, VolumeOption

from . import counts, moderation
from .models import CONSENT_VERSION, Change, DisplayAs, SideEffect, Testimonial, TimeOnLDN, facts_in_words

BATCH = 2_000
DEMO_TITLE_PREFIX = "Demo:"
DEMO_NARRATIVE = "This is demo content for trying the site locally. It is not a real member's experience."
DEMO_STORIES = [
    # (MS type, dose in mg, time on LDN, change, side effects)
    ("rrms", "4.5", "1-2y", "better", ["vivid_dreams"]),
    ("rrms", "3", "6-12m", "no_change", ["sleep_problems"]),
    ("spms", "4.5", "2-5y", "better", ["none"]),
    ("ppms", "1.5", "3-6m", "no_change", ["headache", "vivid_dreams"]),
    ("rrms", "4.5", "1-3m", "much_better", ["vivid_dreams"]),
    ("unspecified", "2", "lt1m", "worse", ["nausea"]),
]


def add_demo_experiences(*, member, moderator) -> str:
    """Six approved, clearly labelled demo stories by `member`, so the member-experience pages show something.
    Through the real transitions (submit, approve); none when the member already has them. Says what
    it did."""
    if Testimonial.objects.filter(author=member, title__startswith=DEMO_TITLE_PREFIX).exists():
        return ""
    for number, (ms_type, dose, time_on_ldn, change, side_effects) in enumerate(DEMO_STORIES, start=1):
        testimonial = moderation.submit(
            author=member,
            content={
                "title": f"{DEMO_TITLE_PREFIX} member experience {number}",
                "ms_type": ms_type,
                "dose_mg": dose,
                "time_on_ldn": time_on_ldn,
                "change": change,
                "side_effects": side_effects,
                "narrative": DEMO_NARRATIVE,
            },
            is_carer=False,
        )
        moderation.approve(testimonial, by=moderator)
    return f"{len(DEMO_STORIES)} labelled demo member experiences were added and approved."


VOLUME_OPTIONS = [VolumeOption("testimonials", 20_000, "Member experiences.", needs_members=True)]


def volume(counts: dict, run) -> Volume:
    with run.timed("testimonials"):
        created = volume_testimonials(
            counts["testimonials"], members=run.members, moderator=run.moderator, synthetic=run
        )
    approved = [story for story in created if story.status == Testimonial.Status.APPROVED]
    return Volume(f"{len(created)} testimonials", discussed=approved)


def volume_testimonials(count: int, *, members: list, moderator, synthetic) -> list[Testimonial]:
    """`count` synthetic experiences by random `members`, bulk-created (no signals, no e-mail): mostly
    approved, as on a site that has run for years, the rest in every other state with consistent moderation.
    `synthetic` is the demo app's source of repeatable fake data (`rng`, `now`, `text(sentences)`)."""
    if not count:
        return []
    rng, now = synthetic.rng, synthetic.now
    S = Testimonial.Status
    statuses = [S.APPROVED] * 90 + [S.PENDING] * 4 + [S.REJECTED] * 3 + [S.WITHDRAWN] * 3
    ms_types, changes, times = MSType.values, Change.values, TimeOnLDN.values
    effects = [value for value in SideEffect.values if value != SideEffect.NONE]
    doses = [Decimal(d) for d in ("0.5", "1.5", "3", "3.5", "4", "4.5", "4.5", "4.5", "6")]
    testimonials = []
    for n in range(count):
        status = rng.choice(statuses)
        submitted_at = now - timezone.timedelta(minutes=rng.randint(60, 2_000_000))
        decided_at = submitted_at + timezone.timedelta(hours=rng.randint(1, 48))
        decided = status != S.PENDING
        approved = status in (S.APPROVED, S.WITHDRAWN)  # a withdrawn one was published before
        testimonials.append(
            Testimonial(
                author=rng.choice(members),
                title=f"Volume test experience {n + 1}",
                ms_type=rng.choice(ms_types),
                dose_mg=rng.choice(doses),
                time_on_ldn=rng.choice(times),
                change=rng.choice(changes),
                side_effects=rng.sample(effects, rng.randint(0, 2)) or [SideEffect.NONE],
                narrative=f"{synthetic.text(6)}\n\n{synthetic.text(6)}",
                display_as=rng.choice(DisplayAs.values),
                status=status,
                submitted_at=submitted_at,
                consent_version=CONSENT_VERSION,
                consented_at=submitted_at,
                approved_at=decided_at if approved else None,
                moderated_at=decided_at if decided else None,
                moderated_by=moderator if decided else None,
                rejection_reason="Synthetic volume-test rejection." if status == S.REJECTED else "",
            )
        )
    for testimonial in testimonials:  # what save() would write
        testimonial.search_facts = facts_in_words(
            testimonial.ms_type, testimonial.dose_mg, testimonial.side_effects
        )
    created = Testimonial.objects.bulk_create(testimonials, batch_size=BATCH)
    counts.rebuild()  # bulk_create skips the transitions that keep the summary's counters
    return created
