# Loaded with Django so that @shared_task binds to the site's Celery application (ldnsite.celery).
from .celery import app as celery_app

__all__ = ("celery_app",)
