"""Background work of the platform itself: the runs of periodic jobs (core/scheduler.py)."""

import time

from django.utils.module_loading import import_string
from django_tasks import task

from ecoquartier.core import jobs, scheduler
from ecoquartier.core.models import ScheduledRun


@task()
def run_scheduled(run_id):
    jobs.run(ScheduledRun, run_id, _execute)
    return run_id


def _execute(run, progress):
    job = scheduler.JOBS.get(run.job)
    if job is None:
        return {"result": "tâche inconnue (retirée du code)"}
    started = time.monotonic()
    outcome = import_string(job.function)()
    return {
        "result": str(outcome)[:300] if outcome is not None else "",
        "duration_ms": int(1000 * (time.monotonic() - started)),
    }
