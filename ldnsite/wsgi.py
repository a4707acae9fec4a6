import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ldnsite.settings")
application = get_wsgi_application()

# Django, the URL patterns and the compiled templates live as long as the worker: move them out of the
# garbage collector's reach, so that its full passes scan only what requests create (measured with
# `make bench`: the logged-in article page with 200 comments, p99 at 8 connections).
gc.freeze()
