"""Shared plumbing models. The activity log (F-04) is append-only."""

import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from ecoquartier.core.constraints import field_checks
from ecoquartier.core.jobs import BackgroundJob


class AppendOnlyError(Exception):
    pass


class ActivityEventQuerySet(models.QuerySet):
    def for_object(self, obj):
        """The timeline of one object: every event that names it as a target."""
        ct = ContentType.objects.get_for_model(obj)
        return self.filter(targets__content_type=ct, targets__object_id=str(obj.pk))

    def update(self, **kwargs):
        raise AppendOnlyError("The activity log is append-only.")

    def delete(self):
        raise AppendOnlyError("The activity log is append-only.")


def actor_field():
    """Who acted: kept as "La plateforme" once the account is deleted (activity log, transition
    log)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )


@field_checks
class ActivityEvent(models.Model):
    """Who did what, when and why. Never updated, never deleted."""

    actor = actor_field()
    verb = models.CharField(_("action"), max_length=60, db_index=True)
    summary = models.CharField(_("résumé"), max_length=300)
    reason = models.TextField(_("motif"), blank=True)
    changes = models.JSONField(_("modifications"), default=dict, blank=True)
    created_at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)

    objects = ActivityEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("événement du journal")
        verbose_name_plural = _("journal d'activité")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.summary

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("The activity log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The activity log is append-only.")


@field_checks
class ActivityTarget(models.Model):
    """An object an event touches; an event shows on the timeline of each of its targets."""

    event = models.ForeignKey(ActivityEvent, on_delete=models.CASCADE, related_name="targets")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    label = models.CharField(max_length=300, blank=True)

    class Meta:
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return self.label


@field_checks
class Generation(models.Model):
    """A counter per kind of data, raised by every change to it (see core/generations.py):
    what was computed from generation N stays valid until the counter moves."""

    name = models.CharField(max_length=40, primary_key=True)
    value = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("génération de données")
        verbose_name_plural = _("générations de données")

    def __str__(self):
        return f"{self.name} #{self.value}"


@field_checks
class ScheduledRun(BackgroundJob):
    """One run of a periodic job (core/scheduler.py): unique per job and period, so of several
    workers only one starts it."""

    TASK = "ecoquartier.core.tasks.run_scheduled"
    # Periodic jobs do not beat while they sweep: give them longer than a report.
    STALE_AFTER = datetime.timedelta(minutes=30)

    job = models.CharField(_("tâche"), max_length=60)
    period = models.DateTimeField(_("période"))
    created_at = models.DateTimeField(auto_now_add=True)
    result = models.CharField(_("résultat"), max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("exécution planifiée")
        verbose_name_plural = _("exécutions planifiées")
        constraints = [
            models.UniqueConstraint(fields=["job", "period"], name="scheduled_run_once_per_period")
        ]

    def __str__(self):
        return f"{self.job} @ {self.period:%Y-%m-%d %H:%M}"


@field_checks
class IdempotencyKey(models.Model):
    """A creating form's single-use key (core/idempotency.py), written in the same transaction
    as what the form created: a second POST of the same form finds it and creates nothing."""

    key = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+"
    )
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("clé d'envoi unique")
        verbose_name_plural = _("clés d'envoi unique")

    def __str__(self):
        return self.key


@field_checks
class TransitionLog(models.Model):
    """One row per transition fired through `core.workflows.fire`: who moved what from which
    state to which, when and why. Append-only like the activity log it points to."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    workflow = models.CharField(_("circuit"), max_length=60)
    transition = models.CharField(_("transition"), max_length=60)
    from_state = models.CharField(_("état de départ"), max_length=40)
    to_state = models.CharField(_("état d'arrivée"), max_length=40)
    actor = actor_field()
    comment = models.TextField(_("commentaire"), blank=True)
    created_at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)
    event = models.ForeignKey(
        ActivityEvent, verbose_name=_("événement"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("transition")
        verbose_name_plural = _("journal des transitions")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.workflow}.{self.transition}: {self.from_state} → {self.to_state}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("The transition log is append-only.")
        super().save(*args, **kwargs)
