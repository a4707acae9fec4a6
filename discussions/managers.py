from ldnsite.privileges import AuthoredQuerySet

# Who moderates topics: their queue sections, the topic page's moderator tools, what visible_to() shows.
MODERATE_PERMISSION = "discussions.moderate_topic"


class TopicQuerySet(AuthoredQuerySet):
    moderate_permission = MODERATE_PERMISSION

    def public(self):
        """The one door to the public: published topics only."""
        return self.filter(status="published")

    def held(self):
        return self.filter(status="held")
