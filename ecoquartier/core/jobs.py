"""Background jobs a person waits for (PDF reports, exports): attempts, heartbeats, recovery.

A worker killed in the middle of a task (deployment, out of memory, power cut) leaves its row
"running" for ever and the page polling it. So each job row carries an `attempt` number and a
`heartbeat_at` time:

- the task `claim`s the job (a new attempt) before working, `beat`s as it progresses, and
  `finish`es or `fail`s it — each write only counts while its attempt is the current one, so a
  worker that was merely slow cannot overwrite the result of the attempt that replaced it;
- a running job whose heartbeat is older than `STALE_AFTER` is stale: `recover` puts it back in
  the queue as a new attempt, up to `MAX_ATTEMPTS`, then marks it failed with a French reason, and
  its page offers to start again (`retry`). The task result row of django-tasks-db left "running"
  by the dead worker is marked failed at the same time.

`recover` runs when a job's page is read and `recover_stale()` for every job model when the worker
starts (`manage.py recover_jobs`, in `make serve`).
"""

import contextlib
import datetime
import uuid

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.validators import MaxValueValidator
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Superseded(Exception):
    """Another attempt has taken this job over: the current worker stops quietly."""


class BackgroundJob(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        RUNNING = "running", _("En cours")
        READY = "ready", _("Prêt")
        FAILED = "failed", _("Échec")

    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(100)])
    attempt = models.PositiveSmallIntegerField(default=0)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    # The django-tasks task that builds a job, called with the job's primary key.
    TASK = ""
    # The longest a live worker stays silent: every task beats well within it.
    STALE_AFTER = datetime.timedelta(minutes=3)
    MAX_ATTEMPTS = 3

    class Meta:
        abstract = True

    @property
    def is_finished(self):
        return self.status in (self.Status.READY, self.Status.FAILED)

    @property
    def is_stale(self):
        return (
            self.status == self.Status.RUNNING
            and self.heartbeat_at is not None
            and timezone.now() - self.heartbeat_at > self.STALE_AFTER
        )


def enqueue(job):
    """Queue `job` once the current transaction commits, and remember its task's id."""

    def send():
        result = import_string(job.TASK).enqueue(job.pk)
        type(job).objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])

    transaction.on_commit(send)


def claim(model, pk):
    """Start a new attempt on a pending job; None when there is nothing to do (the job is
    finished, or another worker runs it): a task delivered twice does its work once."""
    with transaction.atomic():
        started = model.objects.filter(pk=pk, status=model.Status.PENDING).update(
            status=model.Status.RUNNING, attempt=F("attempt") + 1, heartbeat_at=timezone.now()
        )
        if not started:
            return None
        return model.objects.values_list("attempt", flat=True).get(pk=pk)


def run(model, pk, work):
    """Run `work(job, progress)` as a new attempt on job `pk` of `model`.

    `work` calls `progress(percent)` as it goes and returns the fields to store with the result
    (`store_file` saves a file for it). A failure is recorded and re-raised; an attempt that was
    superseded stops without writing. Returns True when this attempt produced the result."""
    attempt = claim(model, pk)
    if attempt is None:
        return False
    job = model.objects.get(pk=pk)

    def progress(percent):
        beat(model, pk, attempt, progress=percent)

    try:
        fields = work(job, progress)
    except Superseded:
        return False
    except Exception as error:
        fail(model, pk, attempt, gettext("Échec de la génération : %(error)s") % {"error": error})
        raise
    try:
        finish(model, pk, attempt, progress=100, **fields)
    except Superseded:
        for name, value in fields.items():  # A newer attempt stores its own files.
            if isinstance(model._meta.get_field(name), models.FileField):
                getattr(job, name).storage.delete(value)
        return False
    return True


def store_file(job, field, filename, content):
    """Save `content` (bytes) as `filename` in the storage of `job`'s file `field`; the stored
    name, to return among the fields of `run`'s work."""
    fieldfile = getattr(job, field)
    name = fieldfile.field.generate_filename(job, filename)
    return fieldfile.storage.save(name, ContentFile(content))


def beat(model, pk, attempt, **fields):
    """Record progress (and that the worker lives); raise Superseded if the attempt is over."""
    updated = model.objects.filter(pk=pk, attempt=attempt, status=model.Status.RUNNING).update(
        heartbeat_at=timezone.now(), **fields
    )
    if not updated:
        raise Superseded


def finish(model, pk, attempt, **fields):
    beat(model, pk, attempt, status=model.Status.READY, finished_at=timezone.now(), **fields)


def fail(model, pk, attempt, error):
    # When a newer attempt owns the job, its outcome is the one to show.
    with contextlib.suppress(Superseded):
        beat(
            model, pk, attempt, status=model.Status.FAILED, error=error, finished_at=timezone.now()
        )


def recover(job):
    """Put a stale job back in the queue, or fail it after MAX_ATTEMPTS. True if it was stale."""
    model = type(job)
    with transaction.atomic():
        row = model.objects.select_for_update().filter(pk=job.pk).first()
        if row is None or not row.is_stale:
            return False
        _fail_task_result(row.task_id)
        if row.attempt >= model.MAX_ATTEMPTS:
            row.status, row.finished_at = model.Status.FAILED, timezone.now()
            row.error = gettext(
                "Le service des tâches de fond s’est interrompu à chacune des %(n)s tentatives."
            ) % {"n": row.attempt}
        else:
            row.status = model.Status.PENDING
            enqueue(row)
        row.save(update_fields=["status", "finished_at", "error"])
    job.refresh_from_db()
    return True


def retry(job):
    """Start a finished-with-failure job again, as a person asks from its page."""
    model = type(job)
    with transaction.atomic():
        updated = model.objects.filter(pk=job.pk, status=model.Status.FAILED).update(
            status=model.Status.PENDING, progress=0, error="", finished_at=None
        )
        if updated:
            enqueue(job)
    job.refresh_from_db()
    return bool(updated)


def job_models():
    return [m for m in apps.get_models() if issubclass(m, BackgroundJob)]


def recover_stale():
    """Recover every stale job of every job model; return how many were stale."""
    count = 0
    for model in job_models():
        limit = timezone.now() - model.STALE_AFTER
        for job in model.objects.filter(status=model.Status.RUNNING, heartbeat_at__lt=limit):
            count += recover(job)
    return count


def _fail_task_result(task_id):
    """The dead worker's task row stays RUNNING in django-tasks-db: close it as failed."""
    try:
        task_id = uuid.UUID(task_id)
    except ValueError:  # No task id yet, or another backend's.
        return
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(id=task_id, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.FAILED,
        finished_at=timezone.now(),
        exception_class_path="ecoquartier.core.jobs.WorkerLost",
        traceback="The worker stopped while running this task; it was queued again.",
    )


HISTORY_DAYS = 30


def prune_history(days=HISTORY_DAYS):
    """Forget finished task results and periodic runs older than `days` (the jobs people wait
    for stay with their reports and exports)."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    ScheduledRun = apps.get_model("core", "ScheduledRun")  # core.models imports this module
    limit = timezone.now() - datetime.timedelta(days=days)
    finished = [TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED]
    tasks = DBTaskResult.objects.filter(status__in=finished, finished_at__lt=limit).delete()[0]
    runs = ScheduledRun.objects.filter(period__lt=limit).delete()[0]
    return f"{tasks} résultats de tâches et {runs} exécutions planifiées purgés"
