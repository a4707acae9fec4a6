"""The anonymous page cache: public pages rendered once and shared by every anonymous reader.

Pages are kept in Django's cache (Redis in production, so every web process shares them) under a key that
holds a "content generation": any save or delete of something a public page shows bumps the generation
(see ``connect_signals``), and every page cached before it is then never read again and expires on its own.
Nothing needs to know which page shows what.

A response is stored only when it cannot differ between anonymous readers and holds nothing personal:
GET, an anonymous reader, a public address, known query parameters only, status 200, no cookie set, no
message waiting, no CSRF token used (a form for anonymous readers would share one token), nothing marked
private or no-store. Logged-in readers always get a fresh page marked ``private, no-cache``.
"""

import copy
import functools
import gzip
import hashlib
import importlib.metadata
import re
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http.response import ResponseHeaders
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import parse_http_date_safe

GENERATION_KEY = "pagecache:generation"
SETTLING_KEY = "pagecache:settling"
# When the next article or study scheduled for later goes public (seconds since the epoch, 0: none): pages
# must change then, though nothing is saved. Worked out when a change commits (see content_committed).
SCHEDULE_KEY = "pagecache:next-publication"
# Each process reuses the generation and settling flag it read for this long: no cache round trip on most
# requests, and a change made in another process reaches this one's readers at most this late (browsers keep
# pages longer anyway). Both are read together, so a process stores things only under the generation it
# read the flag with: anything it stores under an older one is never read again once it rereads.
GENERATION_REUSE_SECONDS = 1.0
_known_state: tuple[int, bool, float] | None = None  # (generation, settling, monotonic time it was read)
# Browsers and proxies may keep a public page this long: a bump cannot reach them, so keep it short.
BROWSER_MAX_AGE = 60
MAX_KEY_SOURCE_LENGTH = 1_000
# Stored pages are gzip-compressed once and sent compressed to every reader who accepts it. No BREACH risk:
# a stored page holds no secret (no CSRF token, nothing of a member's).
COMPRESS_FROM_BYTES = 1_000
_ACCEPTS_GZIP = re.compile(r"\bgzip\b")

PUBLIC_PREFIXES = (
    "/articles/",
    "/studies/",
    "/testimonials/",
    "/search/",
    "/feeds/",
)
# Views that set their own public caching (ETag, Last-Modified, a longer max-age) and never look at the
# reader: the embed page and the infographic. The middleware leaves them alone, so that it neither reads the
# session (which would add `Vary: Cookie` to a page other sites frame) nor shortens their lifetime.
SELF_CACHED_PREFIXES = ("/embed/",)
SELF_CACHED_SUFFIXES = ("/infographic.svg",)
PUBLIC_PATHS = {"/", "/sitemap.xml", "/robots.txt"}
# Pages under a public prefix that belong to one member.
PRIVATE_TESTIMONIAL_PAGES = ("/testimonials/new/", "/testimonials/mine/")
PRIVATE_TESTIMONIAL_SUFFIXES = ("/edit/", "/withdraw/", "/delete/")
# Pages about a member's account or secrets: never kept by a browser either.
NO_STORE_PREFIXES = ("/accounts/", "/admin/", "/moderation/")
# Query parameters the public pages read: pagination, sorting, filters, search (and its group), comment pages.
ALLOWED_PARAMETERS = {"page", "sort", "q", "in", "ms_type", "change", "comments"}
SAFE_VARY = {"cookie", "accept-encoding"}


# What the cached HTML was made from: a deploy that changes a template, the code or a stylesheet must not
# serve pages and fragments the old version rendered (they would otherwise live on until they expire).
CODE_FOLDERS = ("templates", "ldnsite", "articles", "testimonials")


@functools.cache
def code_version() -> str:
    """A digest of the site's templates, Python code and static files and of the installed packages'
    versions (a new Markdown or allauth may render differently), worked out once per process."""
    digest = hashlib.sha256()
    packages = sorted(
        f"{dist.metadata['Name']}=={dist.version}" for dist in importlib.metadata.distributions()
    )
    digest.update("\n".join(packages).encode())
    base = Path(settings.BASE_DIR)
    for folder in CODE_FOLDERS:
        for path in sorted((base / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                try:
                    content = path.read_bytes()
                except OSError:  # unreadable: its name still counts
                    content = b""
                digest.update(str(path.relative_to(base)).encode() + b"\0" + content)
    return digest.hexdigest()[:12]


def cache_seconds() -> int:
    return int(getattr(settings, "PAGE_CACHE_SECONDS", 0) or 0)


def is_public_path(path: str) -> bool:
    if path in PUBLIC_PATHS:
        return True
    if not path.startswith(PUBLIC_PREFIXES):
        return False
    if path.startswith("/testimonials/"):
        return not (path.startswith(PRIVATE_TESTIMONIAL_PAGES) or path.endswith(PRIVATE_TESTIMONIAL_SUFFIXES))
    return True


def _fresh_generation() -> int:
    # Microseconds since the epoch: after the counter is lost (eviction, a Redis restart) it starts above
    # every value it had before (unless there were a million changes a second), so pages cached under an old
    # generation are never read again.
    return time.time_ns() // 1_000


def _content_state() -> tuple[int, bool]:
    """(the content generation, whether a change is settling), read from the cache at most once a second."""
    global _known_state
    now = time.monotonic()
    if _known_state is not None and now - _known_state[2] < GENERATION_REUSE_SECONDS:
        return _known_state[0], _known_state[1]
    found = cache.get_many([GENERATION_KEY, SETTLING_KEY, SCHEDULE_KEY])
    due = found.get(SCHEDULE_KEY)
    # Something scheduled has just gone public: one process (the first to notice) makes every page stale.
    if due and due <= timezone.now().timestamp() and cache.add(f"{SCHEDULE_KEY}:{due}", True, timeout=3600):
        bump_generation()
        remember_schedule()
        found = cache.get_many([GENERATION_KEY, SETTLING_KEY])
    generation = found.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, _fresh_generation(), timeout=None)
        generation = cache.get(GENERATION_KEY, 0)
    settling = bool(settle_seconds() and found.get(SETTLING_KEY))
    _known_state = (generation, settling, now)
    return generation, settling


def remember_schedule() -> None:
    """Note when the next scheduled article or study goes public (read by every process with the generation).

    Only a committed change can alter that, so it is worked out then, not on a reader's request; if the note
    is lost (evicted, Redis restarted), scheduled content shows once pages expire or something changes.
    """
    cache.set(SCHEDULE_KEY, _next_publication(), timeout=None)


def _next_publication() -> float:
    """The time (seconds since the epoch) the next scheduled article or study goes public, or 0."""
    from django.db.models import Min

    from articles.models import Article, PublicationStatus, Study

    now, published = timezone.now(), PublicationStatus.PUBLISHED
    times = [
        model.objects.filter(status=published, published_at__gt=now).aggregate(at=Min("published_at"))["at"]
        for model in (Article, Study)
    ]
    return min((at.timestamp() for at in times if at is not None), default=0)


def current_generation() -> int:
    return _content_state()[0]


def forget_generation() -> None:
    """Read the generation from the cache next time (this process changed it, or a test emptied the cache)."""
    global _known_state
    _known_state = None


def settle_seconds() -> int:
    return int(getattr(settings, "PAGE_CACHE_SETTLE_SECONDS", 5) or 0)


def bump_generation() -> None:
    """Make every cached page stale (the content they show has changed).

    The change is not committed yet when its signal bumps the generation: a reader rendering the page just
    then still sees the old rows. So for a few seconds after a change pages are served fresh but not stored.
    """
    forget_generation()
    if settle_seconds():
        cache.set(SETTLING_KEY, True, settle_seconds())
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no counter yet (or it was evicted)
        if not cache.add(GENERATION_KEY, _fresh_generation(), timeout=None):
            cache.incr(GENERATION_KEY)


def is_settling() -> bool:
    """True just after a change: what is rendered now may predate its commit, so store nothing."""
    return _content_state()[1]


def content_key(*parts) -> str | None:
    """A cache key for something derived from the content (a rendered fragment, a computed value), valid
    until the content changes; None when nothing may be stored (the cache is off or a change is settling)."""
    if not cache_seconds():
        return None
    generation, settling = _content_state()  # read together: the flag belongs to this generation
    if settling:
        return None
    return ":".join(["pagecache:content", code_version(), str(generation), *map(str, parts)])


def remember(parts: tuple | None, compute):
    """compute(), kept under content_key(*parts) until the content changes.

    parts=None (a reader who must get a fresh value), the cache switched off or a change settling: computed
    every time and not stored. compute() must not return None.
    """
    key = content_key(*parts) if parts is not None else None
    value = cache.get(key) if key else None
    if value is None:
        value = compute()
        if key:
            cache.set(key, value, cache_seconds())
    return value


def page_key(request, generation: int) -> str | None:
    """The cache key of this request's page, or None when the request must not share a cached page."""
    if set(request.GET) - ALLOWED_PARAMETERS:
        return None
    source = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    if len(source) > MAX_KEY_SOURCE_LENGTH:
        return None
    digest = hashlib.sha256(source.encode()).hexdigest()
    return f"pagecache:page:{code_version()}:{generation}:{digest}"


def _has_messages(request) -> bool:
    storage = getattr(request, "_messages", None)
    return storage is not None and (len(storage) > 0 or storage.added_new or storage.used)


def _is_storable(request, response) -> bool:
    cache_control = response.get("Cache-Control", "").lower()
    vary = {value.strip().lower() for value in response.get("Vary", "").split(",") if value.strip()}
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not any(word in cache_control for word in ("private", "no-store", "no-cache"))
        and vary <= SAFE_VARY
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not (session is not None and session.modified)
        and not _has_messages(request)
    )


def _mark_public(response) -> None:
    if "public" not in response.get("Cache-Control", ""):  # a view that chose a public lifetime keeps it
        patch_cache_control(response, public=True, max_age=BROWSER_MAX_AGE)
    patch_vary_headers(response, ("Cookie", "Accept-Encoding"))


def _mark_private(request, response) -> None:
    if response.has_header("Cache-Control"):
        return
    if request.path.startswith(NO_STORE_PREFIXES):
        patch_cache_control(response, private=True, no_store=True)
    else:
        patch_cache_control(response, private=True, no_cache=True)


def _compressed_copy(response):
    """The response as stored: its body gzip-compressed (the response sent now stays as it is)."""
    if response.has_header("Content-Encoding") or len(response.content) < COMPRESS_FROM_BYTES:
        return response
    stored = copy.copy(response)
    stored.headers = ResponseHeaders(dict(response.headers.items()))  # the sent response keeps its own
    stored.content = gzip.compress(response.content, compresslevel=6, mtime=0)
    stored["Content-Encoding"] = "gzip"
    stored["Content-Length"] = str(len(stored.content))
    etag = stored.get("ETag", "")
    if etag.startswith('"'):
        stored["ETag"] = "W/" + etag  # the compressed bytes differ from the original's
    return stored


def _decoded_for(request, response):
    """A stored page as this reader accepts it: compressed, or unpacked for the rare one who does not."""
    if response.get("Content-Encoding") != "gzip" or _ACCEPTS_GZIP.search(
        request.headers.get("Accept-Encoding", "")
    ):
        return response
    response.content = gzip.decompress(response.content)
    del response["Content-Encoding"]
    response["Content-Length"] = str(len(response.content))
    return response


def _conditional(request, response):
    """A 304 for a cached page the browser already has (as the view would have answered)."""
    etag, last_modified = response.get("ETag"), response.get("Last-Modified")
    if not (etag or last_modified):
        return response
    last_modified = parse_http_date_safe(last_modified) if last_modified else None
    return get_conditional_response(request, etag=etag, last_modified=last_modified, response=response)


class PageCacheMiddleware:
    """Serves and stores public pages for anonymous readers. Place after the message middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(SELF_CACHED_PREFIXES) or request.path.endswith(SELF_CACHED_SUFFIXES):
            return self.get_response(request)
        seconds = cache_seconds()
        key = None
        if (
            seconds > 0
            and request.method in ("GET", "HEAD")
            and is_public_path(request.path)
            and not request.user.is_authenticated
            and not _has_messages(request)
        ):
            key = page_key(request, current_generation())
        if key is not None:
            cached = cache.get(key)
            if cached is not None:
                cached["X-Cache"] = "hit"
                return _conditional(request, _decoded_for(request, cached))

        response = self.get_response(request)

        if key is not None and _is_storable(request, response):
            _mark_public(response)
            response["X-Cache"] = "miss"
            if request.method == "GET" and not is_settling():
                cache.set(key, _compressed_copy(response), seconds)
        elif request.method in ("GET", "HEAD"):
            _mark_private(request, response)
        return response


# --- Invalidation -----------------------------------------------------------------------------------------


def _content_changed(sender, using=None, **kwargs) -> None:
    bump_generation()
    _once_committed(using)


def _member_changed(sender, instance, update_fields=None, using=None, **kwargs) -> None:
    # A login writes last_login; only what pages show (display name, active state) matters.
    if update_fields is not None and set(update_fields) <= {"last_login", "password"}:
        return
    bump_generation()
    _once_committed(using)


def content_committed() -> None:
    """After a change commits: bump again, and note when the next scheduled item goes public.

    Until the commit other readers still see the old rows: a page rendered from them and stored under the
    new generation (a transaction longer than the settling window, such as deleting a member with a lot of
    content) would otherwise be served until it expires.
    """
    bump_generation()
    remember_schedule()


def _once_committed(using=None) -> None:
    """Run content_committed when the change's transaction commits (once per transaction and savepoint), or
    now when there is no transaction (the change is already committed when its signal fires)."""
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        remember_schedule()
        return
    savepoints = set(connection.savepoint_ids)
    pending = any(
        callback is content_committed and registered_in == savepoints
        for registered_in, callback, _robust in connection.run_on_commit
    )
    if not pending:
        # Robust: the change is committed, so a cache or database hiccup here must not turn it into an
        # error page, nor stop the callbacks after it (subscribers' e-mails).
        transaction.on_commit(content_committed, using=using, robust=True)


def connect_signals() -> None:
    """Bump the generation when anything a public page shows changes. Called from an AppConfig.ready()."""
    from django.contrib.auth import get_user_model

    from articles.models import Article, Resource, Study
    from ldnsite.comments.models import Comment, Thread
    from testimonials.models import Testimonial

    uid = "ldnsite.pagecache"
    for model in (Article, Study, Resource, Testimonial, Comment, Thread):
        post_save.connect(_content_changed, sender=model, dispatch_uid=f"{uid}.save.{model.__name__}")
        post_delete.connect(_content_changed, sender=model, dispatch_uid=f"{uid}.delete.{model.__name__}")
    m2m_changed.connect(_content_changed, sender=Article.studies.through, dispatch_uid=f"{uid}.m2m.studies")
    User = get_user_model()
    post_save.connect(_member_changed, sender=User, dispatch_uid=f"{uid}.save.User")
    post_delete.connect(_content_changed, sender=User, dispatch_uid=f"{uid}.delete.User")
