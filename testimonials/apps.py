from django.apps import AppConfig

ANONYMOUS_LABEL = "the author of this story"


def anonymous_author(testimonial) -> int | None:
    """A story shared without the author's name keeps them unnamed in its discussion too."""
    from .models import DisplayAs

    return testimonial.author_id if testimonial.display_as != DisplayAs.DISPLAY_NAME else None


def anonymous_comments():
    """On Comment: written by the author of an anonymous story, in that story's discussion."""
    from django.db.models import Exists, OuterRef

    from .models import DisplayAs, Testimonial

    return Exists(
        Testimonial.objects.exclude(display_as=DisplayAs.DISPLAY_NAME).filter(
            thread=OuterRef("thread"), author=OuterRef("author")
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


def has_approved_story(member) -> bool:
    """A published experience, named or not, is an approved contribution: its author's reports count."""
    from .models import Testimonial

    return Testimonial.objects.public().filter(author=member).exists()


class TestimonialsConfig(AppConfig):
    name = "testimonials"
    verbose_name = "Member experiences"

    def ready(self):
        from ldnsite.accounts import profiles
        from ldnsite.comments import contributions, subjects

        from . import caching, queue
        from .models import Testimonial

        caching.register()
        queue.register()
        contributions.register("testimonials", has_approved=has_approved_story)
        subjects.register(
            Testimonial,
            anonymous_author=anonymous_author,
            anonymous_comments=anonymous_comments,
            anonymous_label=ANONYMOUS_LABEL,
        )
        profiles.register(
            "experiences",
            items=experiences_under_name,
            template="testimonials/includes/profile_experiences.html",
        )
