from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo and volume-test content (`load_demo`, `seed_volume`): with settings and urls.py, the site layer,
    the one place that may import every app. It composes each app's own builders."""

    name = "ldnsite.demo"
    label = "demo"
    verbose_name = "Demo content"
