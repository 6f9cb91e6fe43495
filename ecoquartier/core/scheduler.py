"""Periodic work, run by the task workers themselves (ADR 18).

Apps declare their periodic jobs from `AppConfig.ready()`:

    scheduler.register("use_phase_reminders", _("Rappels de la phase d'usage"),
                       "ecoquartier.labels.services.send_due_reminders", daily(at=time(6)))

Every worker (`manage.py worker`: django-tasks-db's worker plus a ticker thread) calls `tick()`
every `TICK` seconds. For each job, `tick` computes the period the present instant belongs to and
inserts its `ScheduledRun` row — unique per (job, period), so among workers racing for it exactly
one inserts it — then queues the run as a background job (`core.jobs`): a worker killed in the
middle of a run is recovered like a PDF report. After a stop, a worker catches up the latest
period only: each job function does everything that is due (it sweeps), not one period's share.
"""

import datetime
import logging
import threading
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import IntegrityError, close_old_connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ecoquartier.core import jobs
from ecoquartier.core.models import ScheduledRun

logger = logging.getLogger(__name__)
PARIS = ZoneInfo("Europe/Paris")
TICK = 30  # seconds between two looks at the schedule, per worker


@dataclass(frozen=True)
class Schedule:
    """Instants `offset` after local midnight (Paris), then every `every` (at most a day)."""

    every: datetime.timedelta
    offset: datetime.timedelta = datetime.timedelta(0)

    def period_start(self, now):
        """The latest scheduled instant at or before `now`."""
        local = timezone.localtime(now, PARIS)
        for days_back in (0, 1):
            midnight = datetime.datetime.combine(
                local.date() - datetime.timedelta(days=days_back), datetime.time(), PARIS
            )
            base = midnight + self.offset
            if base <= local:
                steps = (local - base) // self.every
                return (base + steps * self.every).astimezone(datetime.UTC)
        raise AssertionError("an offset longer than a day")  # pragma: no cover

    def next_run(self, now):
        start = self.period_start(now)
        if self.every >= datetime.timedelta(days=1):
            # Local arithmetic, so a daily job stays at its hour across daylight saving changes.
            local = timezone.localtime(start, PARIS)
            following = datetime.datetime.combine(
                local.date() + datetime.timedelta(days=1), local.time(), PARIS
            )
            return following.astimezone(datetime.UTC)
        # The grid starts again at each midnight: the next instant may come before start + every.
        return self.period_start(start + self.every)

    def describe(self):
        if self.every >= datetime.timedelta(days=1):
            hours, rest = divmod(int(self.offset.total_seconds()), 3600)
            return _("tous les jours à %(hours)02d h %(minutes)02d") % {
                "hours": hours,
                "minutes": rest // 60,
            }
        return _("toutes les %(n)s minutes") % {"n": int(self.every.total_seconds() // 60)}


def daily(at=datetime.time(0)):
    offset = datetime.timedelta(hours=at.hour, minutes=at.minute)
    return Schedule(datetime.timedelta(days=1), offset)


def every(minutes):
    return Schedule(datetime.timedelta(minutes=minutes))


@dataclass(frozen=True)
class Job:
    name: str
    label: str
    function: str  # dotted path of a callable taking no argument; returns what it did
    schedule: Schedule


JOBS = {}


def register(name, label, function, schedule):
    JOBS[name] = Job(name, label, function, schedule)


def tick(now=None):
    """Start the current period's run of every job that has none; return the runs started."""
    now = now or timezone.now()
    started = []
    for job in JOBS.values():
        period = job.schedule.period_start(now)
        if ScheduledRun.objects.filter(job=job.name, period=period).exists():
            continue
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(job=job.name, period=period)
                jobs.enqueue(run)
        except IntegrityError:
            continue  # Another worker started this period's run.
        started.append(run)
    return started


def overview(now=None):
    """Each job with its last run and its next one, for the administrators' page."""
    now = now or timezone.now()
    return [
        {
            "job": job,
            # One indexed query per job: the jobs are a short, fixed list.
            "last": ScheduledRun.objects.filter(job=name).order_by("-period").first(),
            "next": job.schedule.next_run(now),
        }
        for name, job in sorted(JOBS.items())
    ]


class Ticker(threading.Thread):
    """The worker's scheduling thread: a tick every TICK seconds until stopped (the worker
    ticks once itself before starting it)."""

    def __init__(self, interval=TICK):
        super().__init__(name="scheduler", daemon=True)
        self.interval = interval
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.wait(self.interval):
            try:
                tick()
            except Exception:  # A failed tick (database restarting…) must not stop the worker.
                logger.exception("Scheduler tick failed")
            finally:
                close_old_connections()
