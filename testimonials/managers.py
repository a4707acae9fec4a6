from django.db import models

# Who moderates member experiences: their queue sections, the admin's actions, what visible_to() shows them.
MODERATE_PERMISSION = "testimonials.moderate_testimonial"


class TestimonialQuerySet(models.QuerySet):
    def public(self):
        """The one door to the public: approved testimonials only."""
        return self.filter(status="approved")

    def pending(self):
        return self.filter(status="pending")

    def visible_to(self, privileges):
        """Public ones for everyone; the author's own in any state; everything for a moderator acting with
        their privileges (ldnsite.privileges)."""
        if privileges.has(MODERATE_PERMISSION):
            return self.all()
        if privileges.is_authenticated:
            return self.public() | self.filter(author=privileges.user)
        return self.public()
