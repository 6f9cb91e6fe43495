"""What operators read: structured request and task logs, and an optional error tracker.

- `JsonFormatter` writes one JSON object per log line (`LOG_FORMAT=json`, the production
  default), with the fields passed in `extra` (`request`, `task` records below).
- `RequestLogMiddleware` logs every request once it is answered: method, path (no query string:
  it may hold personal data), status, duration, user id, and a request id (from the proxy's
  `X-Request-ID` when present, echoed in the response).
- Task start and end are logged by the `task_started`/`task_finished` signals of django-tasks.
- `init_sentry` switches on a Sentry-compatible error tracker when `SENTRY_DSN` is set (off by
  default): errors and failed tasks are sent without personal data.
"""

import json
import logging
import time
import uuid

from django.dispatch import receiver
from django_tasks.signals import task_finished, task_started

requests_log = logging.getLogger("ecoquartier.requests")
tasks_log = logging.getLogger("ecoquartier.tasks")

# Attributes every LogRecord has; anything else on a record came from `extra`.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        request_id = request.headers.get("X-Request-ID", "")[:64] or uuid.uuid4().hex
        request.request_id = request_id
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        user = getattr(request, "user", None)
        requests_log.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "request_id": request_id,
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round(1000 * (time.monotonic() - started), 1),
                "user_id": user.pk if user is not None and user.is_authenticated else None,
            },
        )
        return response


@receiver(task_started)
def _log_task_started(sender, task_result, **kwargs):
    tasks_log.info(
        "task started %s",
        task_result.task.module_path,
        extra={"task_id": str(task_result.id), "task": task_result.task.module_path},
    )


@receiver(task_finished)
def _log_task_finished(sender, task_result, **kwargs):
    started, finished = task_result.started_at, task_result.finished_at
    tasks_log.info(
        "task %s %s",
        str(task_result.status).lower(),
        task_result.task.module_path,
        extra={
            "task_id": str(task_result.id),
            "task": task_result.task.module_path,
            "status": str(task_result.status),
            "duration_ms": (
                round((finished - started).total_seconds() * 1000, 1)
                if started and finished
                else None
            ),
        },
    )


def init_sentry(dsn, environment, traces_sample_rate=0.0, **options):
    """Send errors to a Sentry-compatible service (Sentry, GlitchTip…). The SDK's defaults
    collect no personal data (no user e-mail, no cookies, no request bodies): keep them."""
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration()],
        traces_sample_rate=traces_sample_rate,
        **options,
    )
