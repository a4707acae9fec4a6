from django.db import models

# Who moderates topics: their queue sections, the topic page's moderator tools, what visible_to() shows.
MODERATE_PERMISSION = "discussions.moderate_topic"


class TopicQuerySet(models.QuerySet):
    def public(self):
        """The one door to the public: published topics only."""
        return self.filter(status="published")

    def held(self):
        return self.filter(status="held")

    def visible_to(self, privileges):
        """Public ones for everyone; the author's own in any state; everything for a moderator acting with
        their privileges (ldnsite.privileges)."""
        if privileges.has(MODERATE_PERMISSION):
            return self.all()
        if privileges.is_authenticated:
            return self.public() | self.filter(author=privileges.user)
        return self.public()
