"""Follow-up after selection (F-50, F-51): what a programme does with a territory once it is
chosen, on the project's record.

- `FollowUp`: one support of one project, opened from a selected application or directly; its
  coordinator (Cerema, a DDT…), dates and days budget (`DaysBudgetYear` when split by year).
  `days_used` is kept in the same transaction as each activity so dashboards read it, not a SUM.
- `Convention` (+ `ConventionParty`): the tripartite (or wider) agreement, its PDF, the signature of
  each party and its avenants (a new version pointing at the one it amends).
- `SupportActivity`: half-days of expertise logged by an expert, by domain and type, serving
  commitments of the référentiel; `ExpertiseRequest`: what the authority asks for.
- `BudgetLine` (a funder's envelope for a programme) → `Grant` → `Instalment` (advance, interim,
  balance) with its supporting documents.
- `MilestoneTemplate` (a programme's phase plan) → `Milestone` → `Deliverable` (due dates, owner)
  with its `DeliverableVersion` files, reviewed through the workflow engine.
- `RoadmapAction`: a gap of an assessment (expertise à blanc) turned into an action.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ecoquartier.core.constraints import field_checks
from ecoquartier.core.files import PrivateUploadTo
from ecoquartier.core.uploads import UploadValidator

DAYS = {"max_digits": 6, "decimal_places": 1}
MONEY = {"max_digits": 12, "decimal_places": 2}
SIRET = RegexValidator(r"^\d{14}$", _("Un SIRET compte 14 chiffres."))


class Domain(models.TextChoices):
    """Domains of expertise (the Cerema offer, seed 000)."""

    MOBILITY = "mobility", _("Mobilités")
    PLANNING = "planning", _("Aménagement et urbanisme")
    BIODIVERSITY = "biodiversity", _("Biodiversité et sobriété foncière")
    RISKS = "risks", _("Risques")
    INFRASTRUCTURE = "infrastructure", _("Infrastructures et ouvrages")
    ENERGY = "energy", _("Énergie et climat")
    PARTICIPATION = "participation", _("Participation citoyenne")
    FINANCE = "finance", _("Financement")


class FollowUpQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state=FollowUp.State.OPEN)


@field_checks
class FollowUp(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("En cours")
        CLOSED = "closed", _("Clos")

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("projet"),
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    programme = models.ForeignKey(
        "calls.Programme",
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    application = models.OneToOneField(
        "applications.Application",
        verbose_name=_("candidature retenue"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_up",
    )
    # The project's territory and its région, copied so the dashboard filters with no join.
    territory = models.ForeignKey(
        "territories.Territory",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    region = models.ForeignKey(
        "territories.Territory",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    beneficiary = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("collectivité accompagnée"),
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    coordinator = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("opérateur de l'accompagnement"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coordinated_follow_ups",
        help_text=_("Cerema, DDT(M), bureau d'études… qui réalise l'accompagnement."),
    )
    experts = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("experts de l'accompagnement"),
        blank=True,
        related_name="followed_supports",
        help_text=_("Ils consignent les interventions et instruisent les demandes d'expertise."),
    )
    title = models.CharField(_("intitulé"), max_length=250)
    state = models.CharField(_("état"), max_length=8, choices=State.choices, default=State.OPEN)
    starts_on = models.DateField(_("début"))
    ends_on = models.DateField(_("fin prévue"))
    days_budget = models.DecimalField(
        _("jours d'accompagnement prévus"),
        **DAYS,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    # Sum of the activities' days, written in the same transaction as each of them.
    days_used = models.DecimalField(_("jours consommés"), **DAYS, default=Decimal(0))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("accompagnement")
        verbose_name_plural = _("accompagnements")
        ordering = ["-starts_on", "pk"]
        indexes = [
            models.Index(fields=["programme", "state"]),
            models.Index(fields=["project", "starts_on"]),
            models.Index(fields=["region", "state"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="followup_ends_after_start"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("followup:detail", args=[self.pk])


@field_checks
class DaysBudgetYear(models.Model):
    """The days planned for one year of a follow-up, when the programme splits its budget."""

    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField(_("année"))
    days = models.DecimalField(_("jours prévus"), **DAYS, validators=[MinValueValidator(0)])

    class Meta:
        verbose_name = _("jours prévus pour une année")
        verbose_name_plural = _("jours prévus par année")
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(fields=["follow_up", "year"], name="followup_one_budget_a_year")
        ]

    def __str__(self):
        return f"{self.year} : {self.days}"


class ConventionState(models.TextChoices):
    DRAFT = "draft", _("Projet")
    SENT = "sent", _("Envoyée pour signature")
    SIGNED = "signed", _("Signée par toutes les parties")
    IN_FORCE = "in_force", _("En vigueur")
    AMENDED = "amended", _("Modifiée par avenant")
    CLOSED = "closed", _("Close")


@field_checks
class Convention(models.Model):
    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="conventions")
    # An avenant is a new version of the convention it amends (number + 1).
    amends = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="amendment"
    )
    number = models.PositiveSmallIntegerField(_("version"), default=1)
    state = models.CharField(
        _("état"), max_length=10, choices=ConventionState.choices, default=ConventionState.DRAFT
    )
    object = models.TextField(_("objet"), max_length=4000)
    objectives = models.TextField(_("objectifs"), max_length=8000, blank=True)
    starts_on = models.DateField(_("prise d'effet"))
    duration_months = models.PositiveSmallIntegerField(_("durée (mois)"), default=36)
    days_budget = models.DecimalField(_("jours d'expertise"), **DAYS, default=Decimal(0))
    amount = models.DecimalField(_("montant (€)"), **MONEY, null=True, blank=True)
    document = models.FileField(
        _("convention (PDF)"),
        upload_to=PrivateUploadTo("followup/conventions"),
        max_length=300,
        blank=True,
        validators=[UploadValidator("charter")],
    )
    sent_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)
    in_force_at = models.DateTimeField(_("en vigueur le"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("convention d'accompagnement")
        verbose_name_plural = _("conventions d'accompagnement")
        ordering = ["follow_up", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["follow_up", "number"], name="followup_convention_number_unique"
            )
        ]

    def __str__(self):
        return f"{self.follow_up} — v{self.number}"


@field_checks
class ConventionParty(models.Model):
    class Role(models.TextChoices):
        BENEFICIARY = "beneficiary", _("Collectivité bénéficiaire")
        STATE = "state", _("État (préfet)")
        OPERATOR = "operator", _("Opérateur (Cerema…)")
        COFUNDER = "cofunder", _("Cofinanceur")

    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="parties")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    role = models.CharField(_("rôle"), max_length=12, choices=Role.choices)
    signatory = models.CharField(_("signataire"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    signed_on = models.DateField(_("signée le"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    signed_scan = models.FileField(
        _("exemplaire signé"),
        upload_to=PrivateUploadTo("followup/signatures"),
        max_length=300,
        blank=True,
        validators=[UploadValidator("charter")],
    )
    reminded_at = models.DateTimeField(_("relancée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("partie à la convention")
        verbose_name_plural = _("parties à la convention")
        ordering = ["convention", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "organisation", "role"], name="followup_party_unique"
            )
        ]

    def __str__(self):
        return f"{self.get_role_display()} : {self.organisation}"


@field_checks
class ExpertiseRequest(models.Model):
    """An authority's request for expertise, accepted and planned by the coordinator."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Demandée")
        ACCEPTED = "accepted", _("Acceptée")
        PLANNED = "planned", _("Planifiée")
        DECLINED = "declined", _("Déclinée")

    follow_up = models.ForeignKey(
        FollowUp, on_delete=models.CASCADE, related_name="expertise_requests"
    )
    subject = models.CharField(_("objet de la demande"), max_length=300)
    details = models.TextField(_("précisions"), max_length=4000, blank=True)
    domain = models.CharField(_("domaine"), max_length=16, choices=Domain.choices)
    wished_on = models.DateField(_("date souhaitée"), null=True, blank=True)
    state = models.CharField(
        _("état"), max_length=10, choices=State.choices, default=State.SUBMITTED
    )
    answer = models.TextField(_("réponse"), max_length=2000, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("demande d'expertise")
        verbose_name_plural = _("demandes d'expertise")
        ordering = ["-requested_at", "pk"]

    def __str__(self):
        return self.subject


@field_checks
class SupportActivity(models.Model):
    class Kind(models.TextChoices):
        FRAMING = "framing", _("Cadrage amont")
        ADVICE_NOTE = "advice_note", _("Note d'avis")
        INDICATORS = "indicators", _("Indicateurs")
        BLANK_EXPERTISE = "blank_expertise", _("Expertise à blanc")
        MEETING = "meeting", _("Réunion")
        WORKSHOP = "workshop", _("Atelier")
        SITE_VISIT = "site_visit", _("Visite de site")

    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="activities")
    date = models.DateField(_("date"))
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("expert"),
        on_delete=models.PROTECT,
        related_name="support_activities",
    )
    half_days = models.PositiveSmallIntegerField(
        _("demi-journées"), validators=[MinValueValidator(1)]
    )
    domain = models.CharField(_("domaine"), max_length=16, choices=Domain.choices)
    kind = models.CharField(_("type d'intervention"), max_length=16, choices=Kind.choices)
    commitments = models.ManyToManyField(
        "referentiel.Commitment",
        verbose_name=_("engagements servis"),
        blank=True,
        related_name="+",
    )
    request = models.ForeignKey(
        ExpertiseRequest,
        verbose_name=_("demande"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
    )
    deliverable = models.ForeignKey(
        "Deliverable",
        verbose_name=_("livrable lié"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
    )
    notes = models.TextField(_("notes"), max_length=4000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("intervention d'accompagnement")
        verbose_name_plural = _("interventions d'accompagnement")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["follow_up", "date"])]

    def __str__(self):
        return f"{self.date} — {self.get_kind_display()}"

    @property
    def days(self):
        return Decimal(self.half_days) / 2


@field_checks
class BudgetLine(models.Model):
    """A funder's envelope for a programme (a year's credits): what grants commit from."""

    programme = models.ForeignKey(
        "calls.Programme", on_delete=models.PROTECT, related_name="budget_lines"
    )
    funder = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("financeur"),
        on_delete=models.PROTECT,
        related_name="budget_lines",
    )
    label = models.CharField(_("ligne budgétaire"), max_length=200)
    year = models.PositiveSmallIntegerField(_("exercice"))
    amount = models.DecimalField(_("enveloppe (€)"), **MONEY, validators=[MinValueValidator(0)])

    class Meta:
        verbose_name = _("ligne budgétaire")
        verbose_name_plural = _("lignes budgétaires")
        ordering = ["programme", "-year", "label"]

    def __str__(self):
        return f"{self.label} ({self.year})"


@field_checks
class Grant(models.Model):
    class Nature(models.TextChoices):
        CASH = "aide en numéraire", _("Aide en numéraire")
        IN_KIND = "aide en nature", _("Aide en nature")

    class Payment(models.TextChoices):
        """SCDL `conditionsVersement`."""

        ONCE = "Unique", _("En une fois")
        STAGED = "Echelonné", _("Échelonné")

    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="grants")
    budget_line = models.ForeignKey(
        BudgetLine,
        verbose_name=_("ligne budgétaire"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grants",
    )
    funder = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("financeur"),
        on_delete=models.PROTECT,
        related_name="grants_given",
    )
    purpose = models.CharField(_("objet"), max_length=500)
    eligible_costs = models.TextField(_("dépenses éligibles"), max_length=4000, blank=True)
    amount = models.DecimalField(_("montant (€)"), **MONEY, validators=[MinValueValidator(0)])
    rate = models.DecimalField(
        _("taux de subvention (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    nature = models.CharField(
        _("nature"), max_length=20, choices=Nature.choices, default=Nature.CASH
    )
    payment = models.CharField(
        _("conditions de versement"),
        max_length=10,
        choices=Payment.choices,
        default=Payment.STAGED,
    )
    decision_reference = models.CharField(_("référence de la décision"), max_length=100, blank=True)
    # SCDL « subventions » identifies funder and beneficiary by SIRET (14 digits), which the
    # organisations (SIREN only) do not hold: the grant's open data needs the funder's.
    funder_siret = models.CharField(
        _("SIRET du financeur"), max_length=14, blank=True, validators=[SIRET]
    )
    beneficiary_siret = models.CharField(
        _("SIRET du bénéficiaire"), max_length=14, blank=True, validators=[SIRET]
    )
    convention_date = models.DateField(_("date de la convention"), null=True, blank=True)
    # Paid instalments' total, kept with each payment; never above `amount` (CHECK).
    paid = models.DecimalField(_("versé (€)"), **MONEY, default=Decimal(0))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("subvention")
        verbose_name_plural = _("subventions")
        ordering = ["follow_up", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(paid__lte=models.F("amount")), name="followup_grant_paid_within"
            ),
        ]

    def __str__(self):
        return self.purpose


@field_checks
class Instalment(models.Model):
    class Kind(models.TextChoices):
        ADVANCE = "advance", _("Avance")
        INTERIM = "interim", _("Acompte")
        BALANCE = "balance", _("Solde")

    class State(models.TextChoices):
        REQUESTED = "requested", _("Demandé")
        CHECKED = "checked", _("Vérifié")
        APPROVED = "approved", _("Validé")
        PAID = "paid", _("Versé")
        REFUSED = "refused", _("Refusé")

    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="instalments")
    kind = models.CharField(_("nature du versement"), max_length=8, choices=Kind.choices)
    amount = models.DecimalField(
        _("montant demandé (€)"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))]
    )
    state = models.CharField(
        _("état"), max_length=10, choices=State.choices, default=State.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    paid_on = models.DateField(_("versé le"), null=True, blank=True)
    refusal_reason = models.TextField(_("motif du refus"), max_length=2000, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("versement")
        verbose_name_plural = _("versements")
        ordering = ["grant", "requested_at", "pk"]
        indexes = [models.Index(fields=["state", "grant"])]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.amount} €"


@field_checks
class InstalmentDocument(models.Model):
    instalment = models.ForeignKey(Instalment, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(
        _("pièce justificative"),
        upload_to=PrivateUploadTo("followup/instalments"),
        max_length=300,
        validators=[UploadValidator("evidence")],
    )
    name = models.CharField(max_length=255)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pièce justificative")
        verbose_name_plural = _("pièces justificatives")
        ordering = ["pk"]

    def __str__(self):
        return self.name


@field_checks
class MilestoneTemplate(models.Model):
    """One phase of a programme's plan (framing, diagnosis, strategy, action plan…), copied to
    each follow-up opened in it; `deliverables` names what the phase must produce."""

    programme = models.ForeignKey(
        "calls.Programme", on_delete=models.CASCADE, related_name="milestone_templates"
    )
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("phase"), max_length=200)
    offset_months = models.PositiveSmallIntegerField(_("échéance (mois après le début)"), default=3)
    deliverables = models.JSONField(_("livrables attendus"), default=list, blank=True)

    class Meta:
        verbose_name = _("phase type")
        verbose_name_plural = _("phases types")
        ordering = ["programme", "order", "pk"]

    def __str__(self):
        return self.title


@field_checks
class Milestone(models.Model):
    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="milestones")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("jalon"), max_length=200)
    due_on = models.DateField(_("échéance"))
    done_on = models.DateField(_("atteint le"), null=True, blank=True)

    class Meta:
        verbose_name = _("jalon")
        verbose_name_plural = _("jalons")
        ordering = ["follow_up", "order", "due_on", "pk"]

    def __str__(self):
        return self.title


class DeliverableState(models.TextChoices):
    EXPECTED = "expected", _("Attendu")
    SUBMITTED = "submitted", _("Déposé")
    CHANGES_REQUESTED = "changes", _("Modifications demandées")
    ACCEPTED = "accepted", _("Accepté")


@field_checks
class Deliverable(models.Model):
    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="deliverables")
    milestone = models.ForeignKey(
        Milestone,
        verbose_name=_("jalon"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliverables",
    )
    title = models.CharField(_("livrable"), max_length=250)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    due_on = models.DateField(_("échéance"))
    owner = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("responsable"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = models.CharField(
        _("état"),
        max_length=10,
        choices=DeliverableState.choices,
        default=DeliverableState.EXPECTED,
    )
    accepted_at = models.DateTimeField(_("accepté le"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("livrable")
        verbose_name_plural = _("livrables")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["state", "due_on"])]

    def __str__(self):
        return self.title


@field_checks
class DeliverableVersion(models.Model):
    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="files")
    number = models.PositiveSmallIntegerField(_("version"))
    file = models.FileField(
        _("fichier"),
        upload_to=PrivateUploadTo("followup/deliverables"),
        max_length=300,
        validators=[UploadValidator("evidence")],
    )
    name = models.CharField(max_length=255)
    comment = models.TextField(_("commentaire"), max_length=2000, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("version d'un livrable")
        verbose_name_plural = _("versions des livrables")
        ordering = ["deliverable", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["deliverable", "number"], name="followup_deliverable_version_unique"
            )
        ]

    def __str__(self):
        return f"{self.deliverable} v{self.number}"


@field_checks
class DeliverableReminder(models.Model):
    """A reminder sent to a deliverable's owner before its due date: one row per (deliverable,
    days before), so that no reminder is ever sent twice (deliverables part)."""

    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="+")
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rappel d'échéance d'un livrable")
        verbose_name_plural = _("rappels d'échéance des livrables")
        constraints = [
            models.UniqueConstraint(
                fields=["deliverable", "days_before"], name="followup_deliverable_reminder_once"
            )
        ]

    def __str__(self):
        return f"{self.deliverable_id} J-{self.days_before}"


@field_checks
class CalendarKey(models.Model):
    """The version of a person's calendar address (deliverables part): renewing the address
    moves it, so that the addresses given before open nothing any more. No row: version 1."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("adresse d'agenda")
        verbose_name_plural = _("adresses d'agenda")

    def __str__(self):
        return f"{self.user_id} v{self.version}"


@field_checks
class RoadmapAction(models.Model):
    """An action of the project's roadmap, often made from a gap of an expertise à blanc."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Prévue")
        IN_PROGRESS = "in_progress", _("En cours")
        DONE = "done", _("Réalisée")
        ABANDONED = "abandoned", _("Abandonnée")

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="roadmap_actions"
    )
    follow_up = models.ForeignKey(
        FollowUp, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    gap = models.OneToOneField(
        "assessments.Gap",
        verbose_name=_("écart d'origine"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="roadmap_action",
    )
    commitment = models.ForeignKey(
        "referentiel.Commitment",
        verbose_name=_("engagement"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    title = models.CharField(_("action"), max_length=500)
    owner = models.CharField(_("pilote"), max_length=200, blank=True)
    partners = models.CharField(_("partenaires"), max_length=500, blank=True)
    funding = models.CharField(_("financement"), max_length=500, blank=True)
    starts_on = models.DateField(_("début"), null=True, blank=True)
    ends_on = models.DateField(_("échéance"), null=True, blank=True)
    status = models.CharField(
        _("avancement"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("action de la feuille de route")
        verbose_name_plural = _("actions de la feuille de route")
        ordering = ["project", "ends_on", "pk"]

    def __str__(self):
        return self.title
