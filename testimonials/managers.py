from ldnsite.privileges import AuthoredQuerySet

# Who moderates member experiences: their queue sections, the admin's actions, what visible_to() shows them.
MODERATE_PERMISSION = "testimonials.moderate_testimonial"


class TestimonialQuerySet(AuthoredQuerySet):
    moderate_permission = MODERATE_PERMISSION

    def public(self):
        """The one door to the public: approved testimonials only."""
        return self.filter(status="approved")

    def pending(self):
        return self.filter(status="pending")
