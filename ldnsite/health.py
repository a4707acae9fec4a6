"""Liveness and readiness for load balancers and orchestrators, and the worker's heartbeat.

/healthz says the web process answers (it touches nothing else). /healthz/ready answers 200 only when the
database and Redis answer and the worker has beaten within WORKER_FRESH_SECONDS; otherwise 503 with the name
of each part that failed. Neither names a host, an address or a secret.
"""

import time

import redis
from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

from . import rediscache

HEARTBEAT_KEY = "health:worker-heartbeat"
# The clock beats every 15 s (settings.CELERY_BEAT_SCHEDULE): a worker silent for a minute is gone or stuck.
WORKER_FRESH_SECONDS = 60
PROBE_TIMEOUT_SECONDS = 0.5


@shared_task(ignore_result=True)
def heartbeat() -> None:
    """Every 15 s on the worker: note that the worker and its clock are alive."""
    cache.set(HEARTBEAT_KEY, time.time(), timeout=WORKER_FRESH_SECONDS * 10)


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # any failure to answer is "not ready"; the log of the failing request has details
        return "unavailable"
    return "ok"


def _redis() -> str:
    if not settings.REDIS_URL:
        return "not used (local-memory cache)"
    if rediscache.is_unavailable():  # this process saw it fail a moment ago: no new wait on every probe
        return "unavailable"
    client = redis.Redis.from_url(
        settings.REDIS_URL,
        socket_connect_timeout=PROBE_TIMEOUT_SECONDS,
        socket_timeout=PROBE_TIMEOUT_SECONDS,
    )
    try:
        client.ping()
    except (redis.RedisError, OSError):
        return "unavailable"
    finally:
        client.close()
    return "ok"


def _worker(redis_state: str) -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "not used (tasks run in the web process)"
    if redis_state != "ok":
        return "unknown (Redis unavailable)"
    beaten_at = cache.get(HEARTBEAT_KEY)
    if beaten_at is None:
        return "no heartbeat"
    age = time.time() - beaten_at
    if age > WORKER_FRESH_SECONDS:
        return f"last heartbeat {age:.0f} s ago"
    return "ok"


@never_cache
def live(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@never_cache
def ready(request: HttpRequest) -> JsonResponse:
    redis_state = _redis()
    checks = {"database": _database(), "redis": redis_state, "worker": _worker(redis_state)}
    failed = [name for name, state in checks.items() if state != "ok" and not state.startswith("not used")]
    return JsonResponse(
        {"status": "unavailable" if failed else "ready", "failed": failed, "checks": checks},
        status=503 if failed else 200,
    )
