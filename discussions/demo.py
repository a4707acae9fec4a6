"""This app's demo and volume-test content, built for the demo app's commands (ldnsite/demo): a few labelled
topics with replies, through the real transitions, and synthetic topics in bulk."""

from django.utils import timezone

from ldnsite.comments import moderation as comment_moderation
from ldnsite.comments.models import Comment, Thread
from ldnsite.demo.builders import Volume, VolumeOption

from . import moderation
from .models import Category, Topic

BATCH = 2_000
DEMO_TITLE_PREFIX = "Demo:"
DEMO_NOTE = "(This is demo content for trying the site locally, not a real member's words.)"
DEMO_TOPICS = [
    # (category slug, title, body, replies by the moderator then the member)
    (
        "side-effects",
        "vivid dreams in the first weeks",
        "I started at 1.5 mg a week ago and my dreams are very vivid. Did this settle for anyone?",
        ["Mine settled after about three weeks.", "Thank you, that is reassuring."],
    ),
    (
        "dosing-and-timing",
        "morning or evening dose?",
        "My prescriber said either is fine. What did you choose, and did it make a difference to sleep?",
        ["I moved to mornings because of the dreams, and slept better."],
    ),
    (
        "talking-to-your-doctor",
        "bringing the study summaries to my neurologist",
        "I printed two of the study summaries from this site for my appointment. How did your doctors react?",
        [],
    ),
]


def add_demo_topics(*, member, moderator) -> str:
    """Three approved, labelled demo topics started by `member`, two with replies; none when the member
    already has them. Says what it did."""
    if Topic.objects.filter(author=member, title__startswith=DEMO_TITLE_PREFIX).exists():
        return ""
    for slug, title, body, replies in DEMO_TOPICS:
        topic = moderation.submit(
            author=member,
            title=f"{DEMO_TITLE_PREFIX} {title}",
            category=Category.objects.get(slug=slug),
            body=f"{body}\n\n{DEMO_NOTE}",
        )
        if topic.status == Topic.Status.HELD:
            moderation.approve(topic, by=moderator)
        thread = Thread.objects.for_subject(topic)
        for number, reply in enumerate(replies):
            author = moderator if number % 2 == 0 else member
            comment = comment_moderation.submit(thread, author=author, body=f"{reply} {DEMO_NOTE}")
            if comment.status == Comment.Status.HELD:
                comment_moderation.publish(comment, by=moderator)
    return f"{len(DEMO_TOPICS)} labelled demo discussion topics were added, with replies."


VOLUME_OPTIONS = [VolumeOption("topics", 2_000, "Discussion topics.", needs_members=True)]


def volume(counts: dict, run) -> Volume:
    """Topics, nine in ten published; the first published one is the busy topic the benchmarks read."""
    with run.timed("discussion topics"):
        topics = volume_topics(counts["topics"], members=run.members, moderator=run.moderator, synthetic=run)
    published = [topic for topic in topics if topic.status == Topic.Status.PUBLISHED]
    return Volume(
        f"{len(topics)} topics",
        discussed=published,
        weights={"topic": 3},
        busy=published[0] if published else None,
    )


def volume_topics(count: int, *, members: list, moderator, synthetic) -> list[Topic]:
    """`count` clearly synthetic topics for load tests (seed_volume), nine in ten published, spread over the
    categories, with bulk_create: no transitions, no log, no mail. `synthetic` gives the run's seeded `rng`,
    its `now` and text."""
    rng, now = synthetic.rng, synthetic.now
    categories = list(Category.objects.all())
    start = Topic.objects.count()
    topics = []
    for n in range(count):
        created_at = now - timezone.timedelta(minutes=rng.randint(60, 2_000_000))
        published = rng.random() < 0.9
        topics.append(
            Topic(
                author=rng.choice(members),
                title=f"Volume test topic {start + n + 1}",
                category=rng.choice(categories),
                body=f"{synthetic.text(4)}\n\n{synthetic.text(3)}",
                status=Topic.Status.PUBLISHED if published else Topic.Status.HELD,
                created_at=created_at,
                published_at=created_at if published else None,
                last_activity_at=created_at + timezone.timedelta(minutes=rng.randint(0, 50_000)),
                moderated_by=moderator if published else None,
                moderated_at=created_at if published else None,
            )
        )
    return Topic.objects.bulk_create(topics, batch_size=BATCH)
