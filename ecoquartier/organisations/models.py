"""Organisations and the people who belong to them (F-02)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ecoquartier.core.constraints import field_checks
from ecoquartier.organisations.validators import validate_siren


class OrganisationQuerySet(models.QuerySet):
    def state_services(self):
        return self.filter(kind__in=Organisation.STATE_KINDS)


@field_checks
class Organisation(models.Model):
    class Kind(models.TextChoices):
        COMMUNE = "commune", _("Commune")
        EPCI = "epci", _("Intercommunalité (EPCI)")
        DEPARTEMENT = "departement", _("Département")
        REGION = "region", _("Région")
        DREAL = "dreal", _("DREAL / DEAL")
        DDT = "ddt", _("DDT(M)")
        DGALN = "dgaln", _("Administration centrale (DGALN)")
        PUBLIC_OPERATOR = "operator", _("Opérateur public (Cerema, ADEME, EPA, ANRU…)")
        DEVELOPER = "developer", _("Aménageur, SPL, SEM")
        ELECTED_ASSOCIATION = "elected_association", _("Association d'élus")
        DESIGN_TEAM = "design_team", _("Équipe de conception, groupement")
        OTHER = "other", _("Autre")

    STATE_KINDS = (Kind.DREAL, Kind.DDT, Kind.DGALN)
    AUTHORITY_KINDS = (Kind.COMMUNE, Kind.EPCI, Kind.DEPARTEMENT, Kind.REGION)

    kind = models.CharField(_("type"), max_length=24, choices=Kind.choices)
    name = models.CharField(_("nom"), max_length=200)
    acronym = models.CharField(_("sigle"), max_length=40, blank=True)
    siren = models.CharField(
        _("SIREN"), max_length=9, blank=True, db_index=True, validators=[validate_siren]
    )
    territory = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("territoire"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        help_text=_("Le territoire de la collectivité, ou le ressort du service de l'État."),
    )
    has_planning_competence = models.BooleanField(_("compétence urbanisme"), default=False)
    email = models.EmailField(_("adresse électronique de contact"), blank=True)
    website = models.URLField(_("site internet"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "territory"],
                condition=models.Q(kind__in=["dreal", "ddt", "commune", "epci"]),
                name="organisation_one_per_kind_and_territory",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organisations:detail", kwargs={"pk": self.pk})

    @property
    def is_state_service(self):
        return self.kind in self.STATE_KINDS

    @property
    def is_local_authority(self):
        return self.kind in self.AUTHORITY_KINDS

    def clean(self):
        super().clean()
        allowed = TERRITORY_KINDS_BY_KIND.get(self.kind)
        if allowed and self.territory_id and self.territory.kind not in allowed:
            raise ValidationError(
                {"territory": _("Ce type de territoire ne correspond pas au type d’organisation.")}
            )


# Which territory levels make sense for each kind (other kinds may be linked to any territory).
# A DREAL's territory is its region, or a département for a departmental unit (Île-de-France).
TERRITORY_KINDS_BY_KIND = {
    Organisation.Kind.COMMUNE: {"commune"},
    Organisation.Kind.EPCI: {"epci"},
    Organisation.Kind.DEPARTEMENT: {"departement"},
    Organisation.Kind.REGION: {"region"},
    Organisation.Kind.DDT: {"departement"},
    Organisation.Kind.DREAL: {"region", "departement"},
    Organisation.Kind.DGALN: {"country"},
}


@field_checks
class Membership(models.Model):
    class Role(models.TextChoices):
        PROJECT_HOLDER = "holder", _("Porteur de projet")
        STATE_REFERENT = "referent", _("Référent État")
        EXPERT = "expert", _("Expert")
        REVIEWER = "reviewer", _("Évaluateur / membre de jury")
        PROGRAMME_MANAGER = "manager", _("Gestionnaire de programme")
        PARTNER = "partner", _("Partenaire")
        MEMBER = "member", _("Membre")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("rôle"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    is_admin = models.BooleanField(_("administrateur de l'organisation"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("appartenance")
        verbose_name_plural = _("appartenances")
        # The oldest membership is the one shown in the header.
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique")
        ]

    def __str__(self):
        return f"{self.user} — {self.organisation} ({self.get_role_display()})"


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(accepted_at__isnull=True, cancelled_at__isnull=True)


@field_checks
class Invitation(models.Model):
    """An e-mail address invited into an organisation by one of its administrators. The link
    sent carries a signed `nonce`, renewed on each resend (older links stop working); only the
    account of the invited address may accept it, before `expires_at`."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("adresse électronique"))
    role = models.CharField(
        _("rôle"), max_length=16, choices=Membership.Role.choices, default=Membership.Role.MEMBER
    )
    is_admin = models.BooleanField(_("administrateur de l'organisation"), default=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    nonce = models.CharField(max_length=32)
    sent_at = models.DateTimeField(_("envoyée le"))
    expires_at = models.DateTimeField(_("expire le"))
    accepted_at = models.DateTimeField(_("acceptée le"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=models.Q(accepted_at__isnull=True, cancelled_at__isnull=True),
                name="invitation_one_pending_per_address",
            )
        ]

    def __str__(self):
        return f"{self.email} → {self.organisation}"


@field_checks
class ContactMessage(models.Model):
    """A message sent to a State service through the platform (its address may be unknown);
    delivered by e-mail to the service's referents, or to its contact address."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="contact_messages"
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    subject = models.CharField(_("objet"), max_length=150)
    body = models.TextField(_("message"), max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("message à un service")
        verbose_name_plural = _("messages aux services")
        ordering = ["-created_at"]

    def __str__(self):
        return self.subject
