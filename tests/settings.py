"""The test suite's settings (pyproject.toml names them for pytest): the site's own, production ones (DEBUG
off) with what a test run needs on top. ldnsite/settings.py knows nothing of tests.

Processes that tests start as in production (tests/e2e, tests/security/test_headers.py, make bench) use
ldnsite.settings with an environment of their own, not these.
"""

import os

# The site refuses to start without a secret key when DEBUG is off; a test run has no secrets.
os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-not-a-secret-0123456789-abcdefghijklmnopqrstuvwxyz")

from ldnsite.settings import *  # noqa: E402, F403
from ldnsite.settings import POST_OFFICE, STORAGES  # noqa: E402

# Links in e-mails need an address; the tests that check them set their own.
SITE_URL = "http://127.0.0.1:8000"

# One process, so the page and fragment caches are on as in development (tests that are not about them
# turn them off).
PAGE_CACHE_SECONDS = 600
FRAGMENT_CACHE_SECONDS = 600

# The test client speaks plain http: a redirect to https or Secure-only cookies would break every request.
# tests/security/test_headers.py checks the production values in a subprocess.
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
SECURE_HSTS_PRELOAD = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

# No manifest to build: static files are served as they are.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}

# A fast hash: the suite creates hundreds of members.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Mail is queued and delivered after the commit as in production, into the outbox of pytest-django's
# mailoutbox (tests see it with django_capture_on_commit_callbacks(execute=True)).
POST_OFFICE = {**POST_OFFICE, "BACKENDS": {"default": "django.core.mail.backends.locmem.EmailBackend"}}
