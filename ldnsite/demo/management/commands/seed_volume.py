"""Fill the database with a realistic volume of clearly synthetic content, for load tests and benchmarks.

    python manage.py seed_volume --articles 200 --studies 50 --testimonials 20000 --comments 200000 --yes

Everything is made with bulk_create in one transaction, so it takes seconds, not hours; no signals run and no
e-mail is sent. Every record says it is synthetic ("Volume test article 17", members "Volume member 12" at
volume.invalid addresses). Running it again adds more, numbered on from what is there. Each app adds its own
content (ldnsite/demo/builders.py; its options are in --help). The first subject an app hands back for
discussion (the first published article) gets exactly --hot-comments comments with replies, more than any
other discussion: the page benchmarks read. Refuses to run unless DEBUG is on or --yes is given, so it
never lands in production by mistake.
"""

import functools
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from ldnsite import pagecache
from ldnsite.comments import texts
from ldnsite.comments.models import MAX_DEPTH, Comment, Thread
from ldnsite.demo import builders

BATCH = 2_000
EMAIL_DOMAIN = "volume.invalid"
MAX_OTHER_THREAD = 150  # no other discussion comes near the hot article's

WORD_TEXT = (
    "low dose naltrexone multiple sclerosis fatigue sleep relapse trial dose evening morning neurologist "
    "pharmacist capsule liquid compounded study placebo crossover quality life pain spasticity walking "
    "vision mood dreams week month year symptoms evidence small cohort registry result outcome measure"
)
WORDS = WORD_TEXT.split()
SENTENCE = "This is synthetic volume-test text, not real information about LDN."


def words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def paragraph(rng: random.Random, sentences: int) -> str:
    parts = [SENTENCE]
    for _ in range(sentences):
        text = words(rng, rng.randint(8, 18))
        parts.append(text[0].upper() + text[1:] + ".")
    return " ".join(parts)


class Command(BaseCommand):
    help = "Add a large volume of synthetic members, content (each app's, see --help) and comments on it."

    def add_arguments(self, parser):
        for option in builders.volume_options():
            parser.add_argument(f"--{option.name}", type=int, default=option.default, help=option.help)
        parser.add_argument("--comments", type=int, default=200_000)
        parser.add_argument("--members", type=int, default=3_000, help="Members who write them.")
        parser.add_argument(
            "--hot-comments", type=int, default=200, help="Comments (with replies) on the first article."
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed: the same seed, the same data.")
        parser.add_argument("--yes", action="store_true", help="Run even though DEBUG is off.")

    def handle(self, *args, **options) -> None:
        if not (settings.DEBUG or options["yes"]):
            raise CommandError(
                "seed_volume adds tens of thousands of synthetic records. It runs only with DJANGO_DEBUG=1, "
                "or with --yes when you are sure this is not a production database."
            )
        content = builders.volume_options()
        for name in [option.name for option in content] + ["comments", "members", "hot_comments"]:
            if options[name] < 0:
                raise CommandError(f"--{name.replace('_', '-')} cannot be negative.")
        written = [option.name for option in content if option.needs_members] + ["comments"]
        if options["members"] < 1 and any(options[name] for name in written):
            raise CommandError(f"{', '.join(written).capitalize()} need at least one member (--members).")
        if options["comments"] and not any(options[option.name] for option in content):
            names = ", ".join(f"--{option.name}" for option in content)
            raise CommandError(f"Comments need something to discuss: add some of {names}.")

        self.rng = random.Random(options["seed"])
        # Texts are drawn from a pool: making up 200,000 comments word by word would take most of the run.
        self.pool = {size: [paragraph(self.rng, size) for _ in range(200)] for size in range(1, 7)}
        self.now = timezone.now()
        self.timings: list[tuple[str, float]] = []
        started = time.perf_counter()
        with transaction.atomic():
            with self.timed("staff and members"):
                self.editor, self.moderator = self.staff()
                self.members = self.members_for_run(options["members"])
            # Each app builds its own content; the comments on all of it are built here.
            summaries, made = [], []
            for builder in builders.registered():
                if builder.volume is not None:
                    counts = {option.name: options[option.name] for option in builder.volume_options}
                    made.append(builder.volume(counts, self))
                    summaries.append(made[-1].summary)
            with self.timed("threads and comments"):
                hot, comment_count = self.comments(options["comments"], options["hot_comments"], made)
        pagecache.refresh(pagecache.EVERY_PAGE, reschedule=True)  # bulk_create sends no signals

        total = time.perf_counter() - started
        for label, seconds in self.timings:
            self.stdout.write(f"  {label:<24} {seconds:6.1f} s")
        added = ", ".join([f"{len(self.members)} members", *summaries])
        self.stdout.write(self.style.SUCCESS(f"Added {added} and {comment_count} comments in {total:.1f} s."))
        if hot is not None:
            self.stdout.write(f"Most discussed page: {hot.get_absolute_url()}")

    # The apps' builders get the command as their `run`: the run's `editor`, `moderator` and `members`, one
    # seeded `rng`, the run's `now`, text, and `timed(label)` for the timings printed at the end.

    def words(self, n: int) -> str:
        return words(self.rng, n)

    def paragraph(self, sentences: int) -> str:
        return paragraph(self.rng, sentences)

    def text(self, sentences: int) -> str:
        """A paragraph from the pool: making up 200,000 comments word by word would take most of the run."""
        return self.rng.choice(self.pool[sentences])

    @contextmanager
    def timed(self, label: str) -> Iterator[None]:
        started = time.perf_counter()
        yield
        self.timings.append((label, time.perf_counter() - started))

    # --- People -------------------------------------------------------------------------------------------

    def _account(self, email: str, display_name: str, **fields):
        User = get_user_model()
        user, created = User.objects.get_or_create(
            email=email, defaults={"display_name": display_name, "password": make_password(None), **fields}
        )
        if created:
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        return user

    def staff(self):
        editor = self._account(f"volume-editor@{EMAIL_DOMAIN}", "Volume editor", is_staff=True)
        editor.groups.add(*Group.objects.filter(name="Editors"))
        moderator = self._account(f"volume-moderator@{EMAIL_DOMAIN}", "Volume moderator", is_staff=True)
        moderator.groups.add(*Group.objects.filter(name="Moderators"))
        return editor, moderator

    def members_for_run(self, count: int) -> list:
        User = get_user_model()
        start = User.objects.filter(email__startswith="volume-member-").count() + 1
        unusable = make_password(None)  # nobody logs in as these: no password hashing for thousands
        users = [
            User(
                email=f"volume-member-{n}@{EMAIL_DOMAIN}",
                display_name=f"Volume member {n}",
                password=unusable,
                date_joined=self.now - timezone.timedelta(days=self.rng.randint(30, 1500)),
            )
            for n in range(start, start + count)
        ]
        users = User.objects.bulk_create(users, batch_size=BATCH)
        if users and users[0].pk is None:  # a database without RETURNING: read the ids back
            users = list(User.objects.filter(email__in=[u.email for u in users]))
        EmailAddress.objects.bulk_create(
            [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users],
            batch_size=BATCH,
        )
        return users

    def comments(self, total, hot_total, made: list[builders.Volume]):
        """Threads for every subject the apps gave; `hot_total` comments on the first, the rest spread by
        the weights the apps gave, and each app's busy subject as many as any but the first."""
        discussed = [subject for volume in made for subject in volume.discussed]
        weight_of = {kind: weight for volume in made for kind, weight in volume.weights.items()}
        busy = {(type(v.busy), v.busy.pk) for v in made if v.busy is not None}
        threads = [Thread.about(subject) for subject in discussed]
        threads = Thread.objects.bulk_create(threads, batch_size=BATCH)
        if not total or not threads:
            return None, 0
        hot_thread = threads[0] if hot_total else None
        hot_count = min(hot_total, total) if hot_thread else 0
        others = threads[1:] if hot_thread else threads
        weights = [weight_of.get(t.subject_kind, 1) for t in others]
        other_subjects = discussed[len(threads) - len(others) :]
        busy_threads = [i for i, subject in enumerate(other_subjects) if (type(subject), subject.pk) in busy]
        for i in busy_threads:
            weights[i] = sum(weights) or 1  # so many that the cap holds it back
        remaining = total - hot_count
        cap = min(MAX_OTHER_THREAD, hot_count - 1) if hot_thread else MAX_OTHER_THREAD
        if remaining > cap * len(others):
            raise CommandError(
                f"{total} comments do not fit: at most {cap} per discussion besides the most discussed "
                "page. Add content to discuss, or ask for fewer comments."
            )
        counts = self._spread(remaining, weights, cap)
        plan = [(hot_thread, hot_count, True)] if hot_thread else []
        plan += [(thread, n, False) for thread, n in zip(others, counts, strict=True) if n]
        self._write_comments(plan, self.members)
        return (discussed[0] if hot_thread else None), total

    def _spread(self, total: int, weights: list[int], cap: int) -> list[int]:
        weight_sum = sum(weights) or 1
        counts = [min(cap, int(total * w / weight_sum * self.rng.uniform(0.5, 1.5))) for w in weights]
        # Hand out (or take back) the difference one comment at a time, within the cap.
        difference = total - sum(counts)
        order = list(range(len(counts)))
        while difference:
            self.rng.shuffle(order)
            for i in order:
                if difference > 0 and counts[i] < cap:
                    counts[i] += 1
                    difference -= 1
                elif difference < 0 and counts[i] > 0:
                    counts[i] -= 1
                    difference += 1
                if not difference:
                    break
        return counts

    def _shape(self, count: int, hot: bool) -> list[int | None]:
        """Parent index (within the thread) of each comment, None for roots; parents come first.

        The hot thread has 20 roots (one page of them), each followed by its replies, up to the depth cap.
        """
        parents: list[int | None] = []
        depths: list[int] = []
        per_root = max(1, count // 20)
        for i in range(count):
            is_root = i % per_root == 0 if hot else (i == 0 or self.rng.random() < 0.4)
            if is_root:
                parents.append(None)
                depths.append(0)
                continue
            parent = max(0, i - self.rng.randint(1, 3)) if hot else self.rng.randrange(i)
            if depths[parent] >= MAX_DEPTH:  # a reply to the deepest level sits beside it
                parent = parents[parent]
            parents.append(parent)
            depths.append(depths[parent] + 1)
        return parents

    def _write_comments(self, plan, members) -> None:
        S = Comment.Status
        comment_text = functools.cache(texts.text_fields)
        # Nearly all published; a few of every other state, so placeholders and hidden text are exercised.
        statuses = [S.PUBLISHED] * 194 + [S.HELD] * 2 + [S.HIDDEN] + [S.REMOVED] * 2 + [S.DELETED]
        rows = []  # (thread, parent row index or None, depth, status, created_at)
        for thread, count, hot in plan:
            base = len(rows)
            start = self.now - timezone.timedelta(days=self.rng.randint(1, 700))
            depth_of: dict[int, int] = {}
            for i, parent in enumerate(self._shape(count, hot)):
                depth = 0 if parent is None else depth_of[parent] + 1
                depth_of[i] = depth
                created_at = start + timezone.timedelta(minutes=7 * i + self.rng.randint(0, 6))
                rows.append((thread, None if parent is None else base + parent, depth, created_at))
        objects: list[Comment | None] = [None] * len(rows)
        for depth in range(MAX_DEPTH + 1):  # parents before their replies: their ids are needed
            layer = []
            for index, (thread, parent, row_depth, created_at) in enumerate(rows):
                if row_depth != depth:
                    continue
                status = self.rng.choice(statuses)
                parent_obj = objects[parent] if parent is not None else None
                comment = Comment(
                    thread=thread,
                    author=self.rng.choice(members),
                    parent=parent_obj,
                    root=(parent_obj.root or parent_obj) if parent_obj else None,
                    depth=depth,
                    # The HTML as comments.moderation keeps it, rendered once per text of the pool.
                    **comment_text("" if status == S.DELETED else self.text(self.rng.randint(1, 4))),
                    status=status,
                    created_at=created_at,
                )
                objects[index] = comment
                layer.append(comment)
            Comment.objects.bulk_create(layer, batch_size=BATCH)
