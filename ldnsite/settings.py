"""Settings for ldnsite, read from the environment.

Local use needs no configuration: SQLite, a local-memory cache and e-mail printed to the console.
Production (DJANGO_DEBUG unset) refuses to start without DJANGO_SECRET_KEY. The README lists every variable.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


BASE_DIR = Path(__file__).resolve().parent.parent

# --- Core -------------------------------------------------------------------------------------------------
DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Production needs a long random secret key; "
            "for local development set DJANGO_DEBUG=1 (make run does this)."
        )
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105 - never used with DEBUG off

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")

SITE_NAME = "ldnsite"
# The public address, for absolute links (ldnsite.http.site_url). Unset, pages take the address a request came
# in on; e-mail, which the worker builds with no request, needs it: production must set it (a deploy check),
# and make run sets it from the address it serves.
SITE_URL = os.environ.get("DJANGO_SITE_URL", "").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "markdownx",
    "post_office",
    "ldnsite.mail",
    "ldnsite.accounts",
    "ldnsite.moderation",
    "ldnsite.helpful",
    "ldnsite.watchwords",
    "ldnsite.comments",
    "ldnsite.search",
    "ldnsite.pages",
    "ldnsite.notifications",
    "articles",
    "testimonials",
    "discussions",
    "ldnsite.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "ldnsite.middleware.PermissionsPolicyMiddleware",
    "ldnsite.middleware.SignInPausedMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "ldnsite.middleware.RequestTooLargeMiddleware",
    "ldnsite.pagecache.PageCacheMiddleware",
    # Inside the page cache: kept pages hold members' names, not placeholders (ldnsite/mentions/html.py).
    "ldnsite.mentions.html.MentionsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "ldnsite.mfa.StaffMFAMiddleware",
]

ROOT_URLCONF = "ldnsite.urls"
WSGI_APPLICATION = "ldnsite.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ldnsite.context_processors.site",
                "ldnsite.notifications.context_processors.unread",
            ],
            "builtins": ["ldnsite.templatetags.markdown", "ldnsite.templatetags.drafts"],
        },
    },
]
# What every page links to (header, footer, feed links), by the name templates use: {{ site_urls.studies }}.
# The site composes its navigation as it composes INSTALLED_APPS and the URLconf, so the shared context
# processor (ldnsite.context_processors) names no app. The values are URL names.
SITE_LINKS = {
    "home": "home",
    "articles": "articles:article_list",
    "studies": "articles:study_list",
    "testimonials": "testimonials:list",
    "my_stories": "testimonials:mine",
    "notifications": "notifications:inbox",
    "discussions": "discussions:list",
    "search": "search:search",
    "article_feed": "articles:article_feed",
    "study_feed": "articles:study_feed",
    "login": "account_login",
    "signup": "account_signup",
    "logout": "account_logout",
    "account": "account_email",
    "display_name": "account_display_name",
    "moderation": "moderation:queue",
    "admin": "admin:index",
    "about": "pages:about",
    "editorial_policy": "pages:editorial_policy",
    "privacy": "pages:privacy",
    "terms": "pages:terms",
    "guidelines": "pages:guidelines",
    "contact": "pages:contact",
}

# --- Database ---------------------------------------------------------------------------------------------
# SQLite by default; DATABASE_URL (for example postgres://user@127.0.0.1:5432/ldnsite) for PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# A database that does not answer within two seconds fails the request (a 503 page), not the worker.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 2
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------------------------------------
# Rate limits need a cache shared by every web process: set REDIS_URL in production. Redis is never the
# record of anything, so a Redis that is down or frozen means cache misses, not errors (ldnsite.rediscache):
# each call gives up after half a second, and the process then leaves Redis alone for two seconds.
REDIS_URL = os.environ.get("REDIS_URL", "")
REDIS_TIMEOUT_SECONDS = 0.5
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "ldnsite.rediscache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "ldnsite",
            "OPTIONS": {
                "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
                "socket_timeout": REDIS_TIMEOUT_SECONDS,
            },
        }
    }
else:
    # Room for the rendered Markdown of a long discussion and the page cache (Django's default keeps 300).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        }
    }
# Sessions live in the database, the record that survives a Redis outage or restart: a member stays logged
# in whatever happens to the cache (one indexed query per logged-in request).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Public pages for anonymous readers are kept this long (ldnsite.pagecache; 0 turns it off). On by default
# only where every process sees the same cache (Redis) or there is one process (development): with a
# local-memory cache per gunicorn worker, a change would refresh the pages of one worker only.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600" if REDIS_URL or DEBUG else "0"))
# Parts of pages shared between readers of the same kind (an article's body and studies, a page of comments),
# which is what a logged-in reader's page is built from; on and off by the same rule as whole pages.
FRAGMENT_CACHE_SECONDS = int(os.environ.get("FRAGMENT_CACHE_SECONDS", "600" if REDIS_URL or DEBUG else "0"))
# Long lists (stories, a member's comments, a page of comments) count and show at most this many pages; past
# it they say "more than" (ldnsite.paging), so a page costs the same at any volume.
LIST_MAX_PAGES = 1000

# --- Background work (Celery) -----------------------------------------------------------------------------
# The worker delivers e-mail and runs the clock's jobs (celery -A ldnsite worker --beat; make worker).
# Without REDIS_URL there is no broker: every task runs in-process, at once (make run, the test suite).
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True  # a worker started before Redis waits for it
# A worker holds a task until it is done: one that dies mid-task leaves it for another worker.
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    "visibility_timeout": 3600,
}
CELERY_IMPORTS = ("ldnsite.health",)
CELERY_TIMEZONE = "UTC"
# The clock (celery beat, in the worker started with --beat). The README lists these jobs. The sweep delivers
# retries that are due and mail whose hand-off to the worker was lost (the broker was down at the commit).
MAIL_SWEEP_SECONDS = float(os.environ.get("DJANGO_MAIL_SWEEP_SECONDS", "60"))
CELERY_BEAT_SCHEDULE = {
    "deliver-queued-mail": {"task": "ldnsite.mail.tasks.sweep_queued_mail", "schedule": MAIL_SWEEP_SECONDS},
    "worker-heartbeat": {"task": "ldnsite.health.heartbeat", "schedule": 15.0},
    "clear-expired-sessions": {"task": "ldnsite.accounts.tasks.clear_expired_sessions", "schedule": 3600.0},
    "delete-old-sent-mail": {"task": "ldnsite.mail.tasks.delete_old_mail", "schedule": 24 * 3600.0},
    "check-summary-counts": {"task": "testimonials.tasks.check_summary_counts", "schedule": 24 * 3600.0},
    # Once a day, at a quiet hour for most members (UTC): one e-mail each for the kinds they want as a digest.
    "send-notification-digests": {
        "task": "ldnsite.notifications.tasks.send_daily_digests",
        "schedule": crontab(hour=7, minute=0),
    },
    "check-helpful-counts": {"task": "ldnsite.helpful.tasks.check_helpful_counts", "schedule": 24 * 3600.0},
}

# --- Accounts (django-allauth 65.x setting names only) ----------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "ldnsite.accounts.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_SIGNUP_FORM_CLASS = "ldnsite.accounts.forms.DisplayNameSignupForm"
ACCOUNT_ADAPTER = "ldnsite.accounts.adapter.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[ldnsite] "
ACCOUNT_SIGNUP_FORM_HONEYPOT_FIELD = "homepage"
ACCOUNT_REAUTHENTICATION_REQUIRED = True  # changing e-mail or password asks for the password again
ACCOUNT_CHANGE_EMAIL = True  # one address per member; a new one is verified before it replaces the old
ACCOUNT_EMAIL_NOTIFICATIONS = True  # tell members when their password or e-mail address changes
# allauth's default rate limits (login failures, sign-ups, confirmation and reset e-mails) stay on; they
# live in the cache above, so production needs REDIS_URL to share them between processes.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "reauthenticate": "10/m/user",
}
# Two-factor authentication (TOTP authenticator apps, with recovery codes), required for staff and moderators
# before the admin or the moderation queue (ldnsite.mfa).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "ldnsite"
STAFF_MFA_REQUIRED = True
LOGIN_REDIRECT_URL = "/"
LOGIN_URL = "account_login"

# --- Internationalisation ---------------------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static and media files -------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "ldnsite" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Markdown and uploads ---------------------------------------------------------------------------------
MARKDOWNX_MARKDOWNIFY_FUNCTION = "ldnsite.markdown.render"
MARKDOWNX_URLS_PATH = "/markdownx/markdownify/"
MARKDOWNX_UPLOAD_URLS_PATH = "/markdownx/upload/"
MARKDOWNX_MEDIA_PATH = "markdownx/"
IMAGE_UPLOAD_MAX_BYTES = 5 * 1024 * 1024
IMAGE_UPLOAD_MAX_PIXELS = 4096 * 4096
# The longest text one form may send, all its fields together: an article (50,000 characters,
# ldnsite.markdown.MAX_LENGTH) with its other fields. Request data other than files is capped at what that
# takes in the widest encoding (a 4-byte character, percent-encoded: 12 bytes); a longer post gets the 413
# page (ldnsite.middleware.RequestTooLargeMiddleware). A kept draft is cut at each field's own maximum.
FORM_TEXT_MAX_CHARACTERS = 80_000
DATA_UPLOAD_MAX_MEMORY_SIZE = FORM_TEXT_MAX_CHARACTERS * 12
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- Comments ---------------------------------------------------------------------------------------------
COMMENTS_HOLD_FIRST_COMMENT = env_bool("DJANGO_COMMENTS_HOLD_FIRST_COMMENT", True)
# A comment is hidden for review after this many open reports from established members: accounts at least
# COMMENTS_REPORTER_MIN_DAYS old with an approved comment or experience. Other reports wait in the queue.
COMMENTS_REPORTS_TO_HIDE = 3
COMMENTS_REPORTER_MIN_DAYS = 3
COMMENTS_REPORTS_PER_DAY = 10
# (comments allowed, per seconds): members who joined within COMMENTS_NEW_MEMBER_DAYS get the stricter one.
COMMENTS_NEW_MEMBER_DAYS = 7
COMMENTS_RATE_NEW_MEMBER = (3, 10 * 60)
COMMENTS_RATE_MEMBER = (10, 10 * 60)
# Helpful marks and undos per member: (attempts, seconds).
HELPFUL_RATE_MEMBER = (30, 10 * 60)

# --- Member experiences (testimonials) --------------------------------------------------------------------
TESTIMONIALS_PER_DAY = 3
TESTIMONIALS_PER_DAY_NEW_MEMBER = 1
TESTIMONIALS_NEW_MEMBER_DAYS = 7
EDITOR_PREVIEW_RATE_MEMBER = (30, 60)  # Markdown previews per member per minute
# markdownx's live-preview script turns Tab into indentation, a keyboard trap: off until that is solved.
TESTIMONIALS_LIVE_PREVIEW = False

# --- Discussions ------------------------------------------------------------------------------------------
# Topics a member may start a day; members who joined within DISCUSSIONS_NEW_MEMBER_DAYS get the lower one.
DISCUSSIONS_TOPICS_PER_DAY = 5
DISCUSSIONS_TOPICS_PER_DAY_NEW_MEMBER = 2
DISCUSSIONS_NEW_MEMBER_DAYS = 7

# --- Search -----------------------------------------------------------------------------------------------
# (searches allowed, per seconds) from one address; full-text queries cost more than a cached page.
SEARCH_RATE_LIMIT = (int(os.environ.get("DJANGO_SEARCH_PER_MINUTE", "120")), 60)

# --- Notifications (ldnsite.notifications) ---------------------------------------------------------------
NOTIFICATIONS_RATE_READ = (120, 60)  # mark read / mark all read / open, per member per minute
NOTIFICATIONS_RATE_SETTINGS = (20, 10 * 60)  # e-mail choices saved (or unsubscribed), per member

# --- Contact form (ldnsite.pages) ------------------------------------------------------------------------
# Where /contact/ messages go: DJANGO_CONTACT_EMAIL (comma-separated), else every active account that may edit
# the site pages (the Editors group), else DJANGO_ADMINS.
CONTACT_EMAILS = env_list("DJANGO_CONTACT_EMAIL")
# (messages allowed, per seconds), counted per sender's address and per client IP address.
CONTACT_RATE_PER_ADDRESS = (3, 60 * 60)
CONTACT_RATE_PER_IP = (5, 60 * 60)

# --- E-mail -----------------------------------------------------------------------------------------------
# Every e-mail (reply notifications, moderators' decisions, allauth's confirmations and resets, error reports
# to ADMINS) is a row of django-post-office, written in the transaction of the change that causes it (by
# ldnsite.mail.backends, which stores the text as written: post_office's own backend renders it). The
# worker delivers it after the commit (ldnsite.mail) and retries a failure with growing waits for more than a
# day; the web process never talks to the mail server. Delivery goes to DJANGO_EMAIL_HOST over SMTP, or is
# printed to the console when no host is set.
EMAIL_BACKEND = "ldnsite.mail.backends.QueueBackend"
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = 10  # seconds the worker waits for the mail server before it counts a failure and retries
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "ldnsite <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ADMINS = [("ldnsite", address) for address in env_list("DJANGO_ADMINS")]  # error reports, when set
# The first retry waits MAIL_RETRY_FIRST_SECONDS; each one after waits twice as long, up to
# MAIL_RETRY_MAX_SECONDS; after MAIL_MAX_RETRIES (about 28 hours with the defaults) the mail is marked
# failed and listed for staff in the admin.
MAIL_RETRY_FIRST_SECONDS = int(os.environ.get("DJANGO_MAIL_RETRY_FIRST_SECONDS", "60"))
MAIL_RETRY_MAX_SECONDS = 4 * 60 * 60
MAIL_MAX_RETRIES = 14
POST_OFFICE = {
    "BACKENDS": {
        "default": (
            "django.core.mail.backends.smtp.EmailBackend"
            if EMAIL_HOST
            else "django.core.mail.backends.console.EmailBackend"
        )
    },
    "MAX_RETRIES": MAIL_MAX_RETRIES,
    "RETRY_INTERVAL": timedelta(seconds=MAIL_RETRY_FIRST_SECONDS),  # ldnsite.mail grows the later waits
    "LOG_LEVEL": 1,  # a log row for each failure, none for each success
    "THREADS_PER_PROCESS": 1,
    # A mail server that hangs costs EMAIL_TIMEOUT per mail: small batches keep one pass well inside the
    # delivery lock (ldnsite.mail.delivery.LOCK_SECONDS).
    "BATCH_SIZE": 20,
    # A batch may take its size times EMAIL_TIMEOUT; post_office would count a slower one as failed while a
    # thread may still be sending (a duplicate).
    "BATCH_DELIVERY_TIMEOUT": 20 * EMAIL_TIMEOUT + 60,
    "MESSAGE_ID_ENABLED": True,
}

# --- Security ---------------------------------------------------------------------------------------------
# Production (DEBUG off) is HTTPS only: redirect, HSTS, Secure cookies. The test suite's own settings
# (tests/settings.py) turn these off for the test client's plain http; tests/security/test_headers.py checks
# them in a production-mode subprocess (manage.py check --deploy must pass without a warning).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
# No script of ours reads the CSRF cookie; markdownx's editor falls back to the form's csrfmiddlewaretoken.
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = not DEBUG
# DJANGO_SECURE_SSL_REDIRECT=0 only when the proxy in front already redirects http to https.
SECURE_SSL_REDIRECT = not DEBUG and env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz(/ready)?$"]  # load-balancer health checks may come over plain http
SECURE_HSTS_SECONDS = 0 if DEBUG else 31_536_000  # one year
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# ldnsite.middleware.PermissionsPolicyMiddleware: browser features no page of the site uses.
PERMISSIONS_POLICY = {
    "camera": [],
    "microphone": [],
    "geolocation": [],
    "payment": [],
    "usb": [],
    "browsing-topics": [],
}
# DJANGO_BEHIND_PROXY=1: a reverse proxy (exactly one) terminates TLS, sets X-Forwarded-Proto and appends the
# client address to X-Forwarded-For; allauth's rate limits then count the real client, not the proxy.
if env_bool("DJANGO_BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    ALLAUTH_TRUSTED_PROXY_COUNT = 1

# --- Content-Security-Policy ------------------------------------------------------------------------------
# django-csp 4.x, on in development too so that a violation shows up before it ships. Everything comes from
# this site: no inline script or style (no 'unsafe-inline'/'unsafe-eval'), no plugins, no framing. Uploaded
# images are local media (ldnsite.markdown drops outside images), so img-src needs no other origin. Only the
# embed view (/embed/) may relax frame-ancestors, with csp.decorators on that one view.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": [
            "'self'",
            "data:",
        ],  # data: for the authenticator QR code only; Markdown allows no data: images
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Logging ----------------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "{asctime} {levelname} {name} {message}", "style": "{"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # Who did what, when: authentication and moderation events, by id only (no e-mail, text or tokens).
    # INFO even when DJANGO_LOG_LEVEL is higher; it propagates to the root's console handler (one line each).
    # post_office logs every batch at INFO on a handler of its own: warnings (failed deliveries) are enough.
    "loggers": {
        "ldnsite.audit": {"level": "INFO"},
        "post_office": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # Celery logs a line per task that succeeded (the heartbeat alone, four a minute).
        "celery.app.trace": {"level": "WARNING"},
    },
}
