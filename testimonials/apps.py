from django.apps import AppConfig


class TestimonialsConfig(AppConfig):
    name = "testimonials"
    verbose_name = "Member experiences"

    def ready(self):
        from . import caching

        caching.register()
