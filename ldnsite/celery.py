"""The Celery application: background work (e-mail delivery) and the clock (beat).

Start a worker with its scheduler from the project root, with the site's own environment:

    celery -A ldnsite worker --beat --loglevel INFO        (make worker)

Without REDIS_URL (make run, the test suite) there is no broker: tasks run in-process, eagerly.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ldnsite.settings")

app = Celery("ldnsite")
# Every Celery setting lives in ldnsite/settings.py as CELERY_<NAME>.
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
