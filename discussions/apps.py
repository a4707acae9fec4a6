from django.apps import AppConfig


def may_reply(user, topic) -> bool:
    """A locked topic takes no more replies (the page says so)."""
    return not topic.is_locked


def topics_under_name(member):
    """A member's page lists the published topics they started."""
    from .models import Topic

    return (
        Topic.objects.public()
        .filter(author=member)
        .only("pk", "title", "published_at")
        .order_by("-published_at", "-pk")
    )


def has_published_topic(member) -> bool:
    from .models import Topic

    return Topic.objects.public().filter(author=member).exists()


class DiscussionsConfig(AppConfig):
    name = "discussions"
    verbose_name = "Discussions"

    def ready(self):
        from ldnsite import editor
        from ldnsite.accounts import personal_data, profiles
        from ldnsite.comments import contributions, subjects
        from ldnsite.demo import builders
        from ldnsite.helpful import registry as helpful

        from . import caching, demo, moderation, notifications, queue, search
        from . import personal_data as own_data
        from .models import BODY_MAX_LENGTH, Topic

        caching.register()
        queue.register()
        search.register()
        editor.register_member_field("discussions.Topic.body", max_length=BODY_MAX_LENGTH)
        contributions.register("discussions", has_approved=has_published_topic)
        subjects.register(
            Topic,
            kind="topic",
            lookup="pk",
            public=Topic.objects.public,
            may_comment=may_reply,
            on_published=moderation.touch,
        )
        helpful.register(
            Topic, kind="topic", public=Topic.objects.public, author_id=lambda topic: topic.author_id
        )
        notifications.register()
        builders.register(
            "discussions",
            order=30,
            debug_content=demo.add_demo_topics,
            volume=demo.volume,
            volume_options=demo.VOLUME_OPTIONS,
        )
        profiles.register(
            "topics", order=15, items=topics_under_name, template="discussions/includes/profile_topics.html"
        )
        # After stories (10) and before comments (20): a topic deleted with the account takes its thread.
        personal_data.register("discussions", order=15, export=own_data.export, erase=own_data.erase,
                               authored=own_data.authored)  # fmt: skip
        personal_data.register("topic_reports", order=25, export=own_data.export_reports,
                               erase=own_data.erase_reports)  # fmt: skip
