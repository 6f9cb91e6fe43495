"""What `/sante/` checks: the database answers, the cache keeps what it is given, and the task
queue is being worked (its oldest waiting task is younger than TASKS_LATE). Each check is one
round trip; the page is for load balancers and monitoring, so it reveals no data."""

import time
import uuid

from django.core.cache import cache
from django.db import connection
from django.utils import timezone

TASKS_LATE = 600  # seconds: a task waiting longer means no worker is taking work


def _timed(check):
    started = time.monotonic()
    try:
        details = check()
    except Exception as error:  # The point of the page is to report any failure.
        details = {"ok": False, "error": type(error).__name__}
    details["ms"] = round(1000 * (time.monotonic() - started), 1)
    return details


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True}


def _cache():
    key, value = f"health:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, 10)
    kept = cache.get(key) == value
    cache.delete(key)
    return {"ok": kept}


def _tasks():
    from django_tasks_db.models import DBTaskResult

    oldest = DBTaskResult.objects.ready().order_by("enqueued_at").values("enqueued_at").first()
    if oldest is None:
        return {"ok": True, "oldest_waiting_seconds": 0}
    age = (timezone.now() - oldest["enqueued_at"]).total_seconds()
    return {"ok": age <= TASKS_LATE, "oldest_waiting_seconds": round(age)}


def report():
    checks = {"database": _timed(_database), "cache": _timed(_cache), "tasks": _timed(_tasks)}
    return {"status": "ok" if all(c["ok"] for c in checks.values()) else "error", "checks": checks}
