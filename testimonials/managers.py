from django.db import models


class TestimonialQuerySet(models.QuerySet):
    def public(self):
        """The one door to the public: approved testimonials only."""
        return self.filter(status="approved")

    def pending(self):
        return self.filter(status="pending")

    def visible_to(self, user):
        """Public ones for everyone; the author's own in any state; everything for moderators."""
        if user.is_authenticated and user.has_perm("testimonials.moderate_testimonial"):
            return self.all()
        if user.is_authenticated:
            return self.filter(models.Q(status="approved") | models.Q(author=user))
        return self.public()
