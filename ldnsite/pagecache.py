"""The anonymous page cache: public pages rendered once and shared by every anonymous reader, and fragments
(parts of logged-in readers' pages) rendered once and shared between readers of the same kind.

What may be kept and what a change refreshes, the apps declare in their AppConfig.ready(); this module names
no app and no address of one:

- ``register_page(view_name, parameters={...})``: a view whose page anonymous readers may share, and the
  values each query parameter it reads may take;
- ``register(Model, pages=..., when=...)``: the pages a saved or deleted row shows on;
- ``register_schedule(next_change, models=...)``: when something not yet public becomes public by itself.

Tags. A kept page carries two tags: its path and EVERY_PAGE; a fragment carries the path of the page it is
part of and EVERY_PAGE. Each tag has a version in the cache. A change sets the versions of the tags of the
pages it affects to fresh values once its transaction commits, so a comment on one article refreshes that
article's page, not the site. A kept item holds the versions its tags had *before* it was rendered, and is
used only while every one of them is unchanged; the item and its tags are read in one ``get_many``.

Why no page has to wait for a commit: a reader reads the versions before the rows, and a change moves the
versions only after its rows are committed. A page rendered from rows a change had not yet committed was
therefore stored under versions that change then replaces: it is never served. Nothing is held back while
a change is in flight, on this page or any other.

A response is stored only when it cannot differ between anonymous readers and holds nothing personal:
GET, an anonymous reader, a registered view, known parameters with allowed values, status 200, no cookie
set, no message waiting, no CSRF token used (a form for anonymous readers would share one token), nothing
marked private or no-store. Logged-in readers always get a fresh page marked
``private, no-cache, no-store``, and so does every answer to a POST from them.

Every cache call tolerates a failing cache: a read that fails is a miss, and a tag whose version cannot be
read keeps its pages from being stored. A refresh that cannot be written is owed: the first request that
finds the cache answering again refreshes every page.
"""

import copy
import functools
import gzip
import hashlib
import importlib.metadata
import logging
import re
import secrets
import sys
import time
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models.signals import m2m_changed, post_save, pre_delete, pre_save
from django.http.response import ResponseHeaders
from django.urls import get_urlconf, resolve
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import parse_http_date_safe

from ldnsite import rediscache

logger = logging.getLogger(__name__)

# The tag of every kept page and fragment: what a change to all of them refreshes (a member's new display
# name, a deleted member, a bulk import). No path is "*".
EVERY_PAGE = "*"
# When the next thing scheduled for later goes public (seconds since the epoch, 0: nothing is): pages must
# change then, though nothing is saved. Worked out when a change to a scheduling model commits.
SCHEDULE_KEY = "pagecache:next-publication"
# Browsers and proxies may keep a public page this long: a refresh cannot reach them, so keep it short.
BROWSER_MAX_AGE = 60
MAX_KEY_SOURCE_LENGTH = 1_000
# Stored pages are gzip-compressed once and sent compressed to every reader who accepts it. No BREACH risk:
# a stored page holds no secret (no CSRF token, nothing of a member's).
COMPRESS_FROM_BYTES = 1_000
_ACCEPTS_GZIP = re.compile(r"\bgzip\b")
# Pages about a member's account or secrets: never kept by a browser either.
NO_STORE_PREFIXES = ("/accounts/", "/admin/", "/moderation/")
SAFE_VARY = {"cookie", "accept-encoding"}
# Settings that change what pages say (absolute addresses, the site's name, dates, links to static files).
CONTENT_SETTINGS = ("SITE_URL", "SITE_NAME", "LANGUAGE_CODE", "TIME_ZONE", "STATIC_URL", "FORCE_SCRIPT_NAME")
_PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,5}")
_NOT_STORED = "_pagecache_not_stored"  # a request attribute: see do_not_store()
_BEFORE = "_pagecache_before"  # an instance attribute, from pre_save to post_save


def page_number(value: str) -> bool:
    """An allowed value of a page-number parameter: a plain positive number, as a link writes it."""
    return _PAGE_NUMBER.fullmatch(value) is not None


def cache_seconds() -> int:
    """How long whole pages are kept for anonymous readers (settings.PAGE_CACHE_SECONDS; 0: not at all)."""
    return int(getattr(settings, "PAGE_CACHE_SECONDS", 0) or 0)


def fragment_seconds() -> int:
    """How long fragments are kept (settings.FRAGMENT_CACHE_SECONDS; 0: not at all). A switch of its own:
    fragments are what a logged-in reader's page, which is never kept whole, is built from."""
    return int(getattr(settings, "FRAGMENT_CACHE_SECONDS", 0) or 0)


# --- What the cached HTML was made from -------------------------------------------------------------------


def _code_folders() -> list[Path]:
    """The site's own code: the URLconf's package, each installed app outside the virtualenv, template and
    static folders (installed packages count by their versions)."""
    base = Path(settings.BASE_DIR).resolve()
    candidates = [base / settings.ROOT_URLCONF.split(".")[0]]
    candidates += [Path(config.path) for config in apps.get_app_configs()]
    candidates += [Path(folder) for engine in settings.TEMPLATES for folder in engine.get("DIRS", [])]
    candidates += [Path(folder) for folder in getattr(settings, "STATICFILES_DIRS", [])]
    environment = Path(sys.prefix).resolve()
    folders: list[Path] = []
    for folder in sorted({candidate.resolve() for candidate in candidates}):
        if folder.is_relative_to(environment) or not folder.is_dir():
            continue
        if not any(folder.is_relative_to(kept) for kept in folders):
            folders.append(folder)
    return folders


@functools.cache
def code_version() -> str:
    """A digest of the site's templates, Python code and static files and of the installed packages'
    versions (a new Markdown or allauth may render differently), worked out once per process: a deploy
    must not serve what the old version rendered."""
    digest = hashlib.sha256()
    packages = sorted(
        f"{dist.metadata['Name']}=={dist.version}" for dist in importlib.metadata.distributions()
    )
    digest.update("\n".join(packages).encode())
    for folder in _code_folders():
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                try:
                    content = path.read_bytes()
                except OSError:  # unreadable: its name still counts
                    content = b""
                digest.update(str(path).encode() + b"\0" + content)
    return digest.hexdigest()[:12]


@functools.lru_cache(maxsize=16)
def _version_of(code: str, values: tuple[str, ...]) -> str:
    return hashlib.sha256("\0".join([code, *values]).encode()).hexdigest()[:12]


def content_version() -> str:
    """The code version and the settings that change what pages say: part of every kept item's key."""
    values = tuple(repr(getattr(settings, name, None)) for name in CONTENT_SETTINGS)
    return _version_of(code_version(), values)


# --- Registries: filled by the apps in AppConfig.ready() ---------------------------------------------------

Allowed = Collection[str] | Callable[[str], bool]  # a parameter's allowed values, or a test of a value
_pages: dict[str, dict[str, Callable[[str], bool]]] = {}


def register_page(view_name: str, *, parameters: dict[str, Allowed] | None = None) -> None:
    """Let anonymous readers share the page of the view `view_name` ("app:url-name").

    parameters: each query parameter the page reads, with its allowed values: a collection of strings or a
    test such as `page_number`. A request with any other parameter, a parameter given twice or a value
    outside its allowed set is rendered for its reader alone (neither read from the cache nor stored), so
    made-up addresses cannot fill the cache.
    """
    if view_name in _pages:
        raise ImproperlyConfigured(f"The page cache already has a registration for the view {view_name!r}.")
    _pages[view_name] = {
        name: allowed if callable(allowed) else frozenset(allowed).__contains__
        for name, allowed in (parameters or {}).items()
    }
    _page_rules.cache_clear()


@functools.lru_cache(maxsize=4096)
def _page_rules(urlconf: str | None, path_info: str) -> dict[str, Callable[[str], bool]] | None:
    """The parameters of the registered view at this address, or None when it is not a shared page."""
    try:
        view_name = resolve(path_info, urlconf).view_name
    except Exception:  # Resolver404, or an address a converter refuses: not a page to share
        return None
    return _pages.get(view_name)


def is_public_path(path: str) -> bool:
    """Whether the page at `path` may be shared between anonymous readers."""
    return _page_rules(get_urlconf(), path) is not None


@dataclass(frozen=True)
class _Watch:
    pages: Callable[[object], Iterable[str]]
    when: Callable[[object], bool] | None
    fields: frozenset[str] | None
    before: bool

    def shows(self, instance) -> bool:
        return self.when is None or bool(self.when(instance))


_watched: dict[type, _Watch] = {}


def register(
    model: type,
    *,
    pages: Callable[[object], Iterable[str]],
    when: Callable[[object], bool] | None = None,
    fields: Iterable[str] | None = None,
    before: bool = False,
    m2m: Iterable[str] = (),
) -> None:
    """Refresh the pages a row of `model` shows on when it is saved or deleted, once the change commits.

    pages(instance): the paths of the public pages that show the row (reverse() / get_absolute_url()), its
        related rows' pages where they show it too, or EVERY_PAGE.
    when(instance): whether the row, as saved or as deleted, is or was on a public page (default: always). A
        held comment or a pending story answers False and refreshes nothing; a state reached from a public
        one (withdrawn, removed) must answer True.
    before: also judge the row as it was before the save (read from the database), and refresh the pages it
        was on: for rows that leave public pages through a state that does not tell (a draft that was
        published) or that can change address (a slug).
    fields: refresh on a save only when one of these fields changes (compared with the database); a new row
        refreshes nothing.
    m2m: many-to-many fields whose changes count as changes of the rows on both sides (when registered).
    """
    if model in _watched:
        raise ImproperlyConfigured(f"The page cache already has a registration for {model._meta.label}.")
    _watched[model] = _Watch(pages, when, frozenset(fields) if fields is not None else None, before)
    uid = f"ldnsite.pagecache.{model._meta.label}"
    pre_save.connect(_saving, sender=model, dispatch_uid=f"{uid}.pre_save")
    post_save.connect(_saved, sender=model, dispatch_uid=f"{uid}.post_save")
    pre_delete.connect(_deleting, sender=model, dispatch_uid=f"{uid}.pre_delete")
    for name in m2m:
        through = model._meta.get_field(name).remote_field.through
        m2m_changed.connect(_related_changed, sender=through, dispatch_uid=f"{uid}.m2m.{name}")


def pages_of(instance) -> list[str]:
    """The public pages a row of a registered model shows on as it stands (none when its `when` says it is
    not on any, or its model is not registered): for a change that is not a save of the row itself, such as
    a helpful mark moving the count shown with it."""
    watch = _watched.get(instance._meta.concrete_model)
    if watch is None or not watch.shows(instance):
        return []
    return list(watch.pages(instance))


@dataclass(frozen=True)
class _Schedule:
    next_change: Callable[[], object]  # -> an aware datetime, or None
    models: frozenset[type]


_schedules: list[_Schedule] = []


def register_schedule(next_change: Callable[[], object], *, models: Iterable[type]) -> None:
    """next_change(): when the next row scheduled for later goes public (a datetime), or None. Every page is
    refreshed then, though nothing is saved. Worked out again when a change to one of `models` commits."""
    _schedules.append(_Schedule(next_change, frozenset(models)))


def _next_scheduled() -> float:
    times = [schedule.next_change() for schedule in _schedules]
    return min((at.timestamp() for at in times if at is not None), default=0)


def remember_schedule() -> None:
    """Note in the cache when the next scheduled row goes public (read with every page's tags)."""
    _set(SCHEDULE_KEY, _next_scheduled(), None)


# --- The cache, failing quietly ---------------------------------------------------------------------------


def _get_many(keys: list[str]) -> dict:
    try:
        return cache.get_many(keys) or {}
    except Exception:
        return {}


def _set(key: str, value, timeout) -> None:
    try:
        cache.set(key, value, timeout)
    except Exception:
        return


def _set_many(values: dict, timeout) -> None:
    try:
        cache.set_many(values, timeout)
    except Exception:
        return


def _add(key: str, value, timeout) -> bool:
    try:
        return bool(cache.add(key, value, timeout))
    except Exception:
        return False


# --- Tags and kept items ----------------------------------------------------------------------------------


def _tag_key(path: str) -> str:
    return "pagecache:tag:" + hashlib.sha256(path.encode()).hexdigest()[:32]


def _fresh_version() -> int:
    """A refresh's version: microseconds since the epoch (readable when debugging) with three random digits,
    so no two refreshes, nor a refresh and a version set up again after its tag was lost, are equal."""
    return time.time_ns() // 1_000 * 1_000 + secrets.randbelow(1_000)


def _first_version() -> int:
    """The version of a tag set up by a reader (it had none): negative, so that it is never taken for a
    refresh."""
    return -_fresh_version()


# A refresh that may not have been written (the cache failed, or this process is leaving Redis alone after a
# failure) is owed, not forgotten: otherwise a page would go on showing what a moderator took down until it
# expires. The first request that finds the cache answering again refreshes every page.
_refresh_owed = False


def _refresh_now(paths: Iterable[str]) -> None:
    global _refresh_owed
    if not (cache_seconds() or fragment_seconds()):
        return
    _set_many({_tag_key(path): _fresh_version() for path in paths}, None)
    if rediscache.is_unavailable():
        _refresh_owed = True


def _settle_owed_refresh() -> None:
    global _refresh_owed
    if _refresh_owed and not rediscache.is_unavailable():
        _refresh_owed = False
        _refresh_now([EVERY_PAGE])  # owed again if this fails too


def _scheduled_publication_passed(due) -> bool:
    """True when a scheduled publication has just passed and this request refreshed every page for it."""
    if not due or due > timezone.now().timestamp():
        return False
    # The first process to notice claims it; the others go on with what they read.
    if not _add(f"{SCHEDULE_KEY}:{due}", True, 3600):
        return False
    _refresh_now([EVERY_PAGE])
    try:
        remember_schedule()
    except Exception:  # a reader's page must not fail over it; the next committed change notes it again
        logger.exception("Could not work out the next scheduled publication")
    return True


class _Kept:
    """An item kept with the versions its tags had before it was made; valid while they are unchanged."""

    def __init__(self, key: str, path: str):
        self.key = key
        self.tag_keys = [_tag_key(EVERY_PAGE), _tag_key(path)]
        self.versions: tuple | None = None  # read by get(), before the item is made

    def get(self):
        """The kept item if it is still valid, else None. Call it before making the item."""
        found = _get_many([self.key, *self.tag_keys, SCHEDULE_KEY])
        if _scheduled_publication_passed(found.get(SCHEDULE_KEY)):
            return None  # the versions just read are already replaced
        self.versions = tuple(found.get(key) for key in self.tag_keys)
        record = found.get(self.key)
        if record is not None and None not in self.versions and record[0] == self.versions:
            return record[1]
        return None

    def set(self, value, seconds: int) -> None:
        """Keep `value` under the versions get() read. A tag that had none gets a first version; if another
        reader (or a fragment of the same page) set one up meanwhile, that one serves as well. If a refresh
        set it, a change may have committed after get(): the value may predate it and is not kept."""
        if self.versions is None:
            return
        versions = list(self.versions)
        taken = []
        for index, version in enumerate(versions):
            if version is None:
                versions[index] = _first_version()
                if not _add(self.tag_keys[index], versions[index], None):
                    taken.append(index)
        if taken:
            found = _get_many([self.tag_keys[index] for index in taken])
            for index in taken:
                version = found.get(self.tag_keys[index])
                if version is None or version > 0:
                    return
                versions[index] = version
        _set(self.key, (tuple(versions), value), seconds)


class Fragment(_Kept):
    """A part of a page (rendered HTML, a computed value) kept until that page's content changes."""

    def set(self, value) -> None:
        super().set(value, fragment_seconds())


def fragment(*parts, page: str) -> Fragment | None:
    """A Fragment named by `parts`, part of the page at the path `page` (None while fragments are off).

    Call its get() before making the value (what get() reads decides whether the value may be kept), and
    set(value) after.
    """
    if not fragment_seconds():
        return None
    return Fragment(":".join(["pagecache:fragment", content_version(), *map(str, parts)]), page)


def remember(parts: tuple | None, compute, *, page: str):
    """compute(), kept as a fragment of the page at the path `page` until that page's content changes.

    parts=None (a reader who must get a fresh value) or the cache switched off: computed every time and not
    stored. compute() must not return None.
    """
    kept = fragment(*parts, page=page) if parts is not None else None
    value = kept.get() if kept is not None else None
    if value is None:
        value = compute()
        if kept is not None:
            kept.set(value)
    return value


def do_not_store(request) -> None:
    """This response may be sent but must not be kept: it is not the page its address names (an
    out-of-range page number fell back to another page)."""
    setattr(request, _NOT_STORED, True)


# --- The middleware ---------------------------------------------------------------------------------------


def _canonical_query(query, rules: dict[str, Callable[[str], bool]]) -> str | None:
    """The query string in one spelling (sorted), or None when a parameter is unknown, repeated or has a
    value outside its allowed set."""
    pairs = []
    for name in query:
        values = query.getlist(name)
        allowed = rules.get(name)
        if allowed is None or len(values) != 1 or not allowed(values[0]):
            return None
        pairs.append((name, values[0]))
    return urlencode(sorted(pairs))


def _kept_page(request) -> _Kept | None:
    """This request's kept page, or None when the request must not share a cached page."""
    if cache_seconds() <= 0 or request.method not in ("GET", "HEAD"):
        return None
    rules = _page_rules(get_urlconf(), request.path_info)
    if rules is None or request.user.is_authenticated or _has_messages(request):
        return None
    query = _canonical_query(request.GET, rules)
    if query is None:
        return None
    source = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    if len(source) > MAX_KEY_SOURCE_LENGTH:
        return None
    digest = hashlib.sha256(source.encode()).hexdigest()
    return _Kept(f"pagecache:page:{content_version()}:{digest}", request.path)


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


def _is_signed_in(request) -> bool:
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:  # no session, no member: nothing to read
        return False
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated


def _mark_private(request, response) -> None:
    """Every answer to a signed-in member, and every account page, is kept by no browser or proxy
    (`no-store`): it may show their name, their stories in any state, their held comments or their account.
    Other unshared pages may be kept by the browser but checked first (`no-cache`)."""
    if "public" in response.get("Cache-Control", ""):  # a view that chose public caching (the embed) keeps it
        return
    if request.path.startswith(NO_STORE_PREFIXES) or _is_signed_in(request):
        patch_cache_control(response, private=True, no_cache=True, no_store=True)
    elif not response.has_header("Cache-Control"):  # a view that set its own caching keeps it
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
    """Serves and stores public pages for anonymous readers. Place after the message middleware.

    A view that is not registered is never looked up, and its request's session is not read here (so the
    embed page, which sets its own public caching, gets no `Vary: Cookie`).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        _settle_owed_refresh()
        kept = _kept_page(request)
        if kept is not None:
            cached = kept.get()
            if cached is not None:
                cached["X-Cache"] = "hit"
                return _conditional(request, _decoded_for(request, cached))

        response = self.get_response(request)

        if kept is not None and _is_storable(request, response):
            _mark_public(response)
            response["X-Cache"] = "miss"
            if request.method == "GET" and not getattr(request, _NOT_STORED, False):
                kept.set(_compressed_copy(response), cache_seconds())
        else:
            _mark_private(request, response)
        return response


# --- Refreshing -------------------------------------------------------------------------------------------


class Refresh:
    """The pages a change refreshes once its transaction commits: an after-commit callback."""

    def __init__(self, paths: Iterable[str], reschedule: bool = False):
        self.paths = frozenset(paths)
        self.reschedule = reschedule

    def __call__(self) -> None:
        _refresh_now(self.paths)
        if self.reschedule:
            remember_schedule()


def refresh(*paths: str, reschedule: bool = False, using: str | None = None) -> None:
    """Make what is kept of the pages at `paths` (or of EVERY_PAGE) stale once the current transaction
    commits, or at once outside a transaction; `reschedule`: work out the next scheduled publication too.

    One callback per change (a transaction rarely holds more than a few): a change rolled back with its
    savepoint takes its callback with it, and a test sees each change's refresh where it registered it.
    """
    if not paths and not reschedule:
        return
    callback = Refresh(paths, reschedule)
    if not transaction.get_connection(using).in_atomic_block:
        callback()
    else:
        # Robust: the change is committed, so a cache or database hiccup here must not turn it into an
        # error page, nor stop the callbacks after it.
        transaction.on_commit(callback, using=using, robust=True)


def _watch_for(instance) -> _Watch | None:
    return _watched.get(instance._meta.concrete_model)


def _reschedules(model: type) -> bool:
    return any(model in schedule.models for schedule in _schedules)


@dataclass(frozen=True)
class _Before:
    changed: bool  # one of `fields` differs from the stored row
    paths: frozenset[str]  # the pages the stored row was on


def _saving(sender, instance, raw=False, using=None, update_fields=None, **kwargs) -> None:
    watch = _watch_for(instance)
    instance.__dict__.pop(_BEFORE, None)
    if watch is None or raw or instance._state.adding or instance.pk is None:
        return
    if not (watch.before or watch.fields is not None):
        return
    if watch.fields is not None and update_fields is not None and not watch.fields & set(update_fields):
        instance.__dict__[_BEFORE] = _Before(changed=False, paths=frozenset())
        return
    stored = type(instance)._base_manager.using(using).filter(pk=instance.pk).first()
    if stored is None:
        return
    changed = watch.fields is None or any(
        getattr(stored, name) != getattr(instance, name) for name in watch.fields
    )
    paths = frozenset(watch.pages(stored)) if watch.before and watch.shows(stored) else frozenset()
    instance.__dict__[_BEFORE] = _Before(changed, paths)


def _saved(sender, instance, created=False, raw=False, using=None, **kwargs) -> None:
    watch = _watch_for(instance)
    if watch is None:
        return
    before = instance.__dict__.pop(_BEFORE, None)
    reschedule = _reschedules(type(instance)._meta.concrete_model)
    if raw:  # loaddata: related rows may not be there yet
        refresh(EVERY_PAGE, reschedule=reschedule, using=using)
        return
    if watch.fields is not None and (created or (before is not None and not before.changed)):
        return
    paths = set(before.paths) if before is not None else set()
    if watch.shows(instance):
        paths.update(watch.pages(instance))
    refresh(*paths, reschedule=reschedule, using=using)


def _deleting(sender, instance, using=None, **kwargs) -> None:
    # Before the delete: the row's relations (the pages it is on) are still there to read.
    watch = _watch_for(instance)
    if watch is not None:
        paths = watch.pages(instance) if watch.shows(instance) else ()
        refresh(*paths, reschedule=_reschedules(instance._meta.concrete_model), using=using)


def _related_changed(sender, instance, action, model, pk_set=None, using=None, **kwargs) -> None:
    # After an add or remove (the rows on the other side named in pk_set), before a clear (the related rows
    # are still there for pages() to list). A relation shows only where both sides do.
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    watch = _watch_for(instance)
    if watch is None or not watch.shows(instance):
        return
    paths = set(watch.pages(instance))
    other = _watched.get(model._meta.concrete_model)
    if other is not None and pk_set:
        for related in model._base_manager.using(using).filter(pk__in=pk_set):
            if other.shows(related):
                paths.update(other.pages(related))
    refresh(*paths, using=using)
