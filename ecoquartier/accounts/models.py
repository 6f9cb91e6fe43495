from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from ecoquartier.core.constraints import field_checks


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


@field_checks
class User(AbstractUser):
    """A person. Logs in with an e-mail address; no separate username."""

    username = None
    email = models.EmailField(_("adresse électronique"), unique=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    job_title = models.CharField(_("fonction"), max_length=150, blank=True)

    class NotificationFrequency(models.TextChoices):
        IMMEDIATE = "immediate", _("Un courriel à chaque notification")
        DAILY = "daily", _("Un récapitulatif quotidien")

    notification_frequency = models.CharField(
        _("envoi des notifications par courriel"),
        max_length=10,
        choices=NotificationFrequency.choices,
        default=NotificationFrequency.IMMEDIATE,
    )
    # Kept by ecoquartier.notifications (F() updates only), so that the header's badge costs no
    # query: the user row is loaded by every request anyway.
    unread_notifications = models.PositiveIntegerField(_("notifications non lues"), default=0)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_unique_ignoring_case",
                violation_error_message=_("Un compte existe déjà avec cette adresse électronique."),
            )
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    def clean(self):
        super().clean()
        self.email = self.email.lower()

    def save(self, *args, **kwargs):
        # One spelling per address, whatever form or import created the account.
        self.email = self.email.lower()
        if self.pk is not None and not self._state.adding and kwargs.get("update_fields") is None:
            # A full save of a user loaded earlier must not write back a stale unread count.
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name != "unread_notifications"
            ]
        super().save(*args, **kwargs)
