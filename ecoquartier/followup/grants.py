"""Grants and their payments (issue 14, part 4): a programme's budget lines, the grants of a
follow-up, and the instalments the beneficiary asks for.

An instalment (advance, interim, balance) is requested with its supporting documents by the
beneficiary's members, then moves through the workflow engine (`INSTALMENT`):

    requested ──check──▶ checked ──approve──▶ approved ──pay──▶ paid
        └──────────────────┴───────refuse (with a reason)──────┴──▶ refused

Checked by the managers or the State referents overseeing the project; approved, paid and
refused by the programme's managers (referents may refuse what they check). Requested
instalments that are not refused never exceed the grant's amount (the grant's row is locked
while a request is counted); a grant has one balance. `Grant.paid` is raised in the transaction
that pays, with F().
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ecoquartier.core import workflows
from ecoquartier.core.activity import record
from ecoquartier.core.files import download_name
from ecoquartier.core.workflows import Transition
from ecoquartier.followup import permissions
from ecoquartier.followup.models import BudgetLine, Grant, Instalment, InstalmentDocument

GRANT_FIELDS = (
    "funder", "budget_line", "purpose", "eligible_costs", "amount", "rate", "nature", "payment",
    "decision_reference", "convention_date", "funder_siret", "beneficiary_siret",
)  # fmt: skip
BUDGET_LINE_FIELDS = ("funder", "label", "year", "amount")
MAX_DOCUMENTS = 10
State = Instalment.State


def money(amount):
    """« 1 200,00 € »: French grouping (narrow no-break space), two decimals."""
    text = f"{Decimal(amount):,.2f}".replace(",", "\u202f").replace(".", ",")
    return f"{text}\u00a0€"


# --- Reading ------------------------------------------------------------------------------------


def committed(grant_ids):
    """{grant id: total of its instalments not refused} in one query."""
    rows = (
        Instalment.objects.filter(grant_id__in=grant_ids)
        .exclude(state=State.REFUSED)
        .values("grant_id")
        .annotate(total=Sum("amount"))
    )
    return {row["grant_id"]: row["total"] for row in rows}


def remaining_to_request(grant):
    """What the beneficiary may still ask for on `grant`."""
    return grant.amount - committed([grant.pk]).get(grant.pk, Decimal(0))


# --- Budget lines -------------------------------------------------------------------------------


def _budget_line_values(values):
    unknown = set(values) - set(BUDGET_LINE_FIELDS)
    if unknown:
        raise ValueError(f"Unknown budget line fields: {sorted(unknown)}")
    if values.get("amount") is not None and values["amount"] < 0:
        raise ValidationError({"amount": _("L'enveloppe ne peut être négative.")})
    return values


@transaction.atomic
def add_budget_line(actor, programme, values):
    if not permissions.can_manage_budget(actor, programme):
        raise PermissionDenied(_("Seuls les gestionnaires du programme tiennent son budget."))
    line = BudgetLine.objects.create(programme=programme, **_budget_line_values(dict(values)))
    record(
        actor, "followup.budget_line_added",
        _("Ligne budgétaire ajoutée : %(line)s") % {"line": line},
        targets=[line, programme],
    )  # fmt: skip
    return line


@transaction.atomic
def change_budget_line(actor, line, values):
    line = (
        BudgetLine.objects.select_for_update(of=("self",))
        .select_related("programme")
        .get(pk=line.pk)
    )
    if not permissions.can_manage_budget(actor, line.programme):
        raise PermissionDenied(_("Seuls les gestionnaires du programme tiennent son budget."))
    changes = _apply(line, _budget_line_values(dict(values)))
    line.save()
    record(
        actor, "followup.budget_line_changed",
        _("Ligne budgétaire modifiée : %(line)s") % {"line": line},
        targets=[line, line.programme], changes=changes,
    )  # fmt: skip
    return line


# --- Grants -------------------------------------------------------------------------------------


def _apply(obj, values):
    changes = {}
    for name, value in values.items():
        if getattr(obj, name) != value:
            changes[name] = [str(getattr(obj, name)), str(value)]
            setattr(obj, name, value)
    return changes


def _check_grant(follow_up, values):
    unknown = set(values) - set(GRANT_FIELDS)
    if unknown:
        raise ValueError(f"Unknown grant fields: {sorted(unknown)}")
    line = values.get("budget_line")
    if line is not None and line.programme_id != follow_up.programme_id:
        raise ValidationError(
            {"budget_line": _("Choisissez une ligne budgétaire du programme de l'accompagnement.")}
        )
    errors = {}
    if values.get("amount") is not None and values["amount"] <= 0:
        errors["amount"] = _("Le montant doit être positif.")
    rate = values.get("rate")
    if rate is not None and not (0 < rate <= 100):
        errors["rate"] = _("Le taux est un pourcentage compris entre 0 et 100.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def add_grant(actor, follow_up, values):
    """A grant on `follow_up` (managers of its programme). `values`: GRANT_FIELDS."""
    if not permissions.can_manage_grants(actor, follow_up):
        raise PermissionDenied(
            _("Seuls les gestionnaires du programme attribuent les subventions.")
        )
    values = dict(values)
    _check_grant(follow_up, values)
    grant = Grant.objects.create(follow_up=follow_up, created_by=actor, **values)
    record(
        actor, "followup.grant_added",
        _("Subvention de %(amount)s attribuée : %(purpose)s")
        % {"amount": money(grant.amount), "purpose": grant.purpose},
        targets=[grant, follow_up, follow_up.project],
    )  # fmt: skip
    return grant


@transaction.atomic
def change_grant(actor, grant, values):
    """Change a grant; its amount never falls below what was requested or paid on it."""
    grant = (
        Grant.objects.select_for_update(of=("self",))
        .select_related("follow_up__project", "follow_up__programme")
        .get(pk=grant.pk)
    )
    follow_up = grant.follow_up
    if not permissions.can_manage_grants(actor, follow_up):
        raise PermissionDenied(_("Seuls les gestionnaires du programme modifient les subventions."))
    values = dict(values)
    _check_grant(follow_up, values)
    requested = committed([grant.pk]).get(grant.pk, Decimal(0))
    if values.get("amount") is not None and values["amount"] < max(requested, grant.paid):
        raise ValidationError(
            {"amount": _("Des versements de %(total)s sont déjà demandés sur cette subvention.")
             % {"total": money(max(requested, grant.paid))}}
        )  # fmt: skip
    changes = _apply(grant, values)
    grant.save()
    record(
        actor, "followup.grant_changed",
        _("Subvention modifiée : %(purpose)s") % {"purpose": grant},
        targets=[grant, follow_up, follow_up.project], changes=changes,
    )  # fmt: skip
    return grant


# --- Instalments --------------------------------------------------------------------------------


def _validate_documents(files):
    if not files:
        raise ValidationError({"documents": _("Joignez au moins une pièce justificative.")})
    if len(files) > MAX_DOCUMENTS:
        raise ValidationError(
            {"documents": _("Joignez au plus %(n)s fichiers.") % {"n": MAX_DOCUMENTS}}
        )
    field = InstalmentDocument._meta.get_field("file")
    for upload in files:
        try:
            field.run_validators(upload)
        except ValidationError as error:
            raise ValidationError({"documents": error.messages}) from None


@transaction.atomic
def request_instalment(actor, grant, *, kind, amount, files):
    """The beneficiary asks for a payment of `amount` on `grant`, with its documents (uploads,
    checked by the model's UploadValidator). Returns the instalment."""
    grant = (
        Grant.objects.select_for_update(of=("self",))
        .select_related("follow_up__project", "follow_up__programme", "follow_up__beneficiary")
        .get(pk=grant.pk)
    )
    follow_up = grant.follow_up
    if not permissions.can_request_instalment(actor, follow_up):
        raise PermissionDenied(_("Seuls les membres de la collectivité accompagnée demandent."))
    if kind not in Instalment.Kind.values:
        raise ValidationError({"kind": _("Choisissez la nature du versement.")})
    if amount is None or amount <= 0:
        raise ValidationError({"amount": _("Le montant demandé doit être positif.")})
    open_rows = Instalment.objects.filter(grant=grant).exclude(state=State.REFUSED)
    if kind == Instalment.Kind.BALANCE and open_rows.filter(kind=kind).exists():
        raise ValidationError({"kind": _("Le solde de cette subvention est déjà demandé.")})
    left = grant.amount - (open_rows.aggregate(total=Sum("amount"))["total"] or Decimal(0))
    if amount > left:
        raise ValidationError(
            {"amount": _("Il reste %(left)s à verser sur cette subvention.")
             % {"left": money(max(left, Decimal(0)))}}
        )  # fmt: skip
    _validate_documents(files)
    instalment = Instalment.objects.create(
        grant=grant, kind=kind, amount=amount, requested_by=actor
    )
    InstalmentDocument.objects.bulk_create(
        InstalmentDocument(instalment=instalment, file=upload, name=download_name(upload.name))
        for upload in files
    )
    record(
        actor, "followup.instalment_requested",
        _("%(kind)s de %(amount)s demandé : %(grant)s")
        % {"kind": instalment.get_kind_display(), "amount": money(amount), "grant": grant},
        targets=[instalment, grant, follow_up, follow_up.project],
    )  # fmt: skip
    return instalment


def check_instalment(actor, instalment, **kwargs):
    return workflows.fire(instalment, "check", actor, **kwargs)


def approve_instalment(actor, instalment, **kwargs):
    return workflows.fire(instalment, "approve", actor, **kwargs)


def pay_instalment(actor, instalment, *, paid_on, **kwargs):
    return workflows.fire(instalment, "pay", actor, paid_on=paid_on, **kwargs)


def refuse_instalment(actor, instalment, *, reason, **kwargs):
    return workflows.fire(instalment, "refuse", actor, comment=reason, **kwargs)


# --- The instalment's workflow (core.workflows, ADR 20) ----------------------------------------


def _follow_up(instalment):
    return instalment.grant.follow_up


def may_check(user, instalment):
    return permissions.can_check_instalment(user, _follow_up(instalment))


def may_decide(user, instalment):
    return permissions.can_manage_grants(user, _follow_up(instalment))


def may_refuse(user, instalment):
    """Managers at any step before payment; the referents while they check."""
    return may_decide(user, instalment) or (
        instalment.state == State.REQUESTED and may_check(user, instalment)
    )


def paid_on_given(instalment, data):
    paid_on = data.get("paid_on")
    if not isinstance(paid_on, date):
        return _("Indiquez la date du versement.")
    if paid_on > timezone.localdate():
        return _("La date du versement ne peut pas être dans le futur.")
    return None


def record_payment(instalment, actor, data):
    instalment.paid_on = data["paid_on"]
    Grant.objects.filter(pk=instalment.grant_id).update(paid=F("paid") + instalment.amount)


def record_refusal(instalment, actor, data):
    instalment.refusal_reason = data["comment"].strip()[:2000]


def _summary(verb):
    def summary(instalment, data):
        return verb % {
            "kind": instalment.get_kind_display(),
            "amount": money(instalment.amount),
            "grant": instalment.grant,
        }

    return summary


TRANSITIONS = (
    Transition(
        "check", gettext_lazy("Pièces vérifiées"), (State.REQUESTED,), State.CHECKED,
        may_check, "followup.instalment_checked", style="primary",
        summary=_summary(gettext_lazy("%(kind)s de %(amount)s vérifié : %(grant)s")),
    ),
    Transition(
        "approve", gettext_lazy("Valider le versement"), (State.CHECKED,), State.APPROVED,
        may_decide, "followup.instalment_approved", style="primary",
        summary=_summary(gettext_lazy("%(kind)s de %(amount)s validé : %(grant)s")),
    ),
    Transition(
        "pay", gettext_lazy("Marquer comme versé"), (State.APPROVED,), State.PAID,
        may_decide, "followup.instalment_paid", style="primary",
        checks=(paid_on_given,), effects=(record_payment,),
        summary=_summary(gettext_lazy("%(kind)s de %(amount)s versé : %(grant)s")),
    ),
    Transition(
        "refuse", gettext_lazy("Refuser"), (State.REQUESTED, State.CHECKED, State.APPROVED),
        State.REFUSED, may_refuse, "followup.instalment_refused", needs_comment=True,
        effects=(record_refusal,),
        summary=_summary(gettext_lazy("%(kind)s de %(amount)s refusé : %(grant)s")),
    ),
)  # fmt: skip


def _targets(instalment, data):
    follow_up = _follow_up(instalment)
    return [instalment, instalment.grant, follow_up, follow_up.project]


def _stale(instalment, transition):
    return _("Ce versement est maintenant « %s » : l'action n'a pas été appliquée.") % (
        instalment.get_state_display()
    )


INSTALMENT = workflows.register(
    workflows.Workflow(
        "instalment", Instalment, State, TRANSITIONS, version_field="version",
        targets=_targets, stale_message=_stale,
        related=("grant__follow_up__project", "grant__follow_up__programme"),
        comment_required=gettext_lazy("Motivez le refus."),
    )
)  # fmt: skip
