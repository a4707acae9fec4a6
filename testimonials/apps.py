from django.apps import AppConfig
from django.urls import reverse

ANONYMOUS_LABEL = "the author of this story"


def anonymous_author(testimonial) -> int | None:
    """A story shared without the author's name keeps them unnamed in its discussion too."""
    from .models import DisplayAs

    return testimonial.author_id if testimonial.display_as != DisplayAs.DISPLAY_NAME else None


def anonymous_comments():
    """On Comment in a story's discussion: written by the author of that story, if it is anonymous."""
    from django.db.models import Exists, OuterRef

    from .models import DisplayAs, Testimonial

    return Exists(
        Testimonial.objects.exclude(display_as=DisplayAs.DISPLAY_NAME).filter(
            pk=OuterRef("thread__subject_id"), author=OuterRef("author")
        )
    )


def experiences_under_name(member):
    """A member's page lists the published stories they chose to share under their display name."""
    from .models import DisplayAs, Testimonial

    return (
        Testimonial.objects.public()
        .filter(author=member, display_as=DisplayAs.DISPLAY_NAME)
        .only("pk", "title", "approved_at")
        .order_by("-approved_at", "-pk")
    )


def story_author(testimonial) -> int | None:
    """Shared anonymously or not, a story is its author's: they do not mark it helpful."""
    return testimonial.author_id


def has_approved_story(member) -> bool:
    """A published experience, named or not, is an approved contribution: its author's reports count."""
    from .models import Testimonial

    return Testimonial.objects.public().filter(author=member).exists()


def recent_stories(limit: int):
    """For the watched words' test mode: the newest stories and waiting changes, but not withdrawn ones."""
    from .models import WATCHED_FIELDS, Testimonial, TestimonialRevision

    def text(content) -> str:
        return "\n".join(getattr(content, name) for name in WATCHED_FIELDS)

    stories = Testimonial.objects.exclude(status=Testimonial.Status.WITHDRAWN).order_by(
        "-submitted_at", "-pk"
    )
    changes = (
        TestimonialRevision.objects.filter(status=TestimonialRevision.Status.PENDING)
        .exclude(testimonial__status=Testimonial.Status.WITHDRAWN)
        .order_by("-created_at", "-pk")
    )
    return [
        *((story.get_absolute_url(), text(story)) for story in stories[:limit]),
        *(
            (reverse("testimonials:detail", args=[change.testimonial_id]), text(change))
            for change in changes[:limit]
        ),
    ]


class TestimonialsConfig(AppConfig):
    name = "testimonials"
    verbose_name = "Member experiences"

    def ready(self):
        from ldnsite import editor
        from ldnsite.accounts import personal_data, profiles
        from ldnsite.comments import contributions, subjects
        from ldnsite.demo import builders
        from ldnsite.helpful import registry as helpful
        from ldnsite.watchwords import sources

        from . import caching, demo, notifications, queue, search
        from . import personal_data as own_data
        from .models import NARRATIVE_MAX_LENGTH, Testimonial

        caching.register()
        notifications.register()
        queue.register()
        sources.register("story", label="Stories and their waiting changes", recent=recent_stories)
        search.register()
        editor.register_member_field("testimonials.Testimonial.narrative", max_length=NARRATIVE_MAX_LENGTH)
        contributions.register("testimonials", has_approved=has_approved_story)
        subjects.register(
            Testimonial,
            kind="testimonial",
            lookup="pk",
            public=Testimonial.objects.public,
            anonymous_author=anonymous_author,
            anonymous_comments=anonymous_comments,
            anonymous_label=ANONYMOUS_LABEL,
        )
        helpful.register(
            Testimonial, kind="testimonial", public=Testimonial.objects.public, author_id=story_author
        )
        profiles.register(
            "experiences",
            order=10,
            items=experiences_under_name,
            template="testimonials/includes/profile_experiences.html",
        )
        builders.register(
            "testimonials",
            order=20,
            debug_content=demo.add_demo_experiences,
            volume=demo.volume,
            volume_options=demo.VOLUME_OPTIONS,
        )
        # First in a member's download and first to go with their account: a story takes its discussion.
        personal_data.register(
            "testimonials", order=10, export=own_data.export, erase=own_data.erase, authored=own_data.authored
        )
