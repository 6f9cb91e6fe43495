"""In-app notifications, one per (event, recipient, rule): the row is also what makes a retried
delivery send nothing twice."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ecoquartier.core.constraints import field_checks


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def pending_email(self):
        return self.filter(emailed_at__isnull=True)


@field_checks
class Notification(models.Model):
    event = models.ForeignKey(
        "core.ActivityEvent", on_delete=models.CASCADE, related_name="notifications"
    )
    rule = models.CharField(_("règle"), max_length=120)
    # A user (in-app list, e-mail by their preference) or a bare address (e-mail only).
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("destinataire"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    email = models.EmailField(_("adresse électronique"))
    subject = models.CharField(_("objet"), max_length=300)
    url = models.CharField(_("lien"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("lue le"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("envoyée par courriel le"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "recipient", "rule"],
                condition=Q(recipient__isnull=False),
                name="notification_once_per_user",
            ),
            models.UniqueConstraint(
                fields=["event", "email", "rule"],
                condition=Q(recipient__isnull=True),
                name="notification_once_per_address",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_list"),
            models.Index(
                fields=["created_at"],
                condition=Q(emailed_at__isnull=True),
                name="notification_pending_email",
            ),
        ]

    def __str__(self):
        return self.subject
