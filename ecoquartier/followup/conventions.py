"""Support conventions (issue 14, deliverable 2): prepared by the follow-up's managers or experts,
generated as a PDF from the programme's template, signed by each party, put in force, amended
by an avenant (a new version, number + 1), closed.

States and transitions are data for the one engine (`core.workflows`, ADR 20):

    draft ──send──▶ sent ──sign (each party)──▶ … ──sign_last──▶ signed
    signed ──enter_into_force──▶ in_force ──close──▶ closed
    in_force ──amend──▶ amended   (fired by its avenant's enter_into_force, never by hand)

The services below take plain data and fire those transitions; `send_signature_reminders` is
the daily job (`core.scheduler`) reminding the parties that have not signed; `register_rules`
subscribes who is told (ADR 21).
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Max
from django.template.loader import select_template
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ecoquartier.core import pdf, workflows
from ecoquartier.core.activity import record
from ecoquartier.core.generations import bump
from ecoquartier.core.uploads import UploadValidator
from ecoquartier.core.workflows import Transition
from ecoquartier.followup import cached, permissions
from ecoquartier.followup.models import Convention, ConventionParty, ConventionState, FollowUp
from ecoquartier.organisations.models import Organisation

Role = ConventionParty.Role
STATE_PARTY_KINDS = (Organisation.Kind.DDT, Organisation.Kind.DREAL)
FIELDS = ("object", "objectives", "starts_on", "duration_months", "days_budget", "amount")
ROLE_ORDER = {Role.BENEFICIARY: 0, Role.STATE: 1, Role.OPERATOR: 2, Role.COFUNDER: 3}
DEFAULT_REMINDER_DAYS = 14


# --- Preparing and editing (no state change) ----------------------------------------------------


def _check_values(values):
    errors = {}
    if not str(values.get("object") or "").strip():
        errors["object"] = _("Précisez l'objet de la convention.")
    if not values.get("starts_on"):
        errors["starts_on"] = _("Précisez la date de prise d'effet.")
    if (values.get("duration_months") or 0) < 1:
        errors["duration_months"] = _("La durée est d'au moins un mois.")
    if values.get("days_budget") is not None and values["days_budget"] < 0:
        errors["days_budget"] = _("Le nombre de jours ne peut pas être négatif.")
    if values.get("amount") is not None and values["amount"] < 0:
        errors["amount"] = _("Le montant ne peut pas être négatif.")
    if errors:
        raise ValidationError(errors)


def _parties(follow_up, parties):
    """The parties as (role, organisation, signatory), checked: one beneficiary authority (the
    follow-up's by default), at most one State service (a DDT(M), a DREAL or its unit) and one
    operator (the follow-up's coordinator by default), any co-financers, no organisation twice
    in one role."""
    rows = [
        (p["role"], p["organisation"], (p.get("signatory") or "").strip()[:200])
        for p in parties
        if p.get("organisation") is not None
    ]
    roles = [role for role, _o, _s in rows]
    if Role.BENEFICIARY not in roles:
        rows.insert(0, (Role.BENEFICIARY, follow_up.beneficiary, ""))
    if Role.OPERATOR not in roles and follow_up.coordinator is not None:
        rows.append((Role.OPERATOR, follow_up.coordinator, ""))
    errors = []
    for role, label in ((Role.BENEFICIARY, _("collectivité bénéficiaire")),
                        (Role.STATE, _("État")), (Role.OPERATOR, _("opérateur"))):  # fmt: skip
        if sum(1 for r, _o, _s in rows if r == role) > 1:
            errors.append(_("La convention n'a qu'une partie « %s ».") % label)
    for role, organisation, _s in rows:
        if role == Role.STATE and organisation.kind not in STATE_PARTY_KINDS:
            errors.append(
                _("L'État est représenté par le préfet : choisissez une DDT(M), une DREAL ou son "
                  "unité départementale.")
            )  # fmt: skip
    if len({(r, o.pk) for r, o, _s in rows}) != len(rows):
        errors.append(_("Une organisation figure deux fois avec le même rôle."))
    if errors:
        raise ValidationError(errors)
    return sorted(rows, key=lambda row: ROLE_ORDER[row[0]])


def _write_parties(convention, rows):
    ConventionParty.objects.filter(convention=convention).delete()
    ConventionParty.objects.bulk_create(
        ConventionParty(convention=convention, role=role, organisation=organisation,
                        signatory=signatory, order=i)
        for i, (role, organisation, signatory) in enumerate(rows)
    )  # fmt: skip
    bump(cached.GENERATION)  # bulk writes send no signal


def _targets(convention):
    return [convention, convention.follow_up, convention.follow_up.project]


@transaction.atomic
def prepare_convention(actor, follow_up, *, parties, **values):
    """The follow-up's first convention, as a draft: `values` are FIELDS, `parties` a list of
    {"role", "organisation", "signatory"}. Avenants come from `prepare_amendment`."""
    follow_up = (
        FollowUp.objects.select_for_update(of=("self",))
        .select_related("project")
        .get(pk=follow_up.pk)
    )
    if not permissions.can_prepare_convention(actor, follow_up):
        raise PermissionDenied(
            _("Seuls les gestionnaires du programme et les experts de l'accompagnement "
              "préparent la convention.")
        )  # fmt: skip
    if Convention.objects.filter(follow_up=follow_up).exists():
        raise ValidationError(
            _("La convention de cet accompagnement existe déjà : modifiez-la, ou préparez un "
              "avenant une fois qu'elle est en vigueur.")
        )  # fmt: skip
    values = {name: values.get(name) for name in FIELDS}
    values["objectives"] = values["objectives"] or ""
    _check_values(values)
    rows = _parties(follow_up, parties)
    convention = Convention.objects.create(follow_up=follow_up, created_by=actor, **values)
    _write_parties(convention, rows)
    record(
        actor, "followup.convention_prepared", _("Projet de convention préparé"),
        targets=_targets(convention),
    )  # fmt: skip
    return convention


@transaction.atomic
def change_convention(actor, convention, *, parties=None, expected_version=None, **values):
    """Change a draft: its FIELDS given in `values`, and its parties when given."""
    convention = (
        Convention.objects.select_for_update(of=("self",))
        .select_related("follow_up__project", "follow_up__beneficiary", "follow_up__coordinator")
        .get(pk=convention.pk)
    )
    if not permissions.can_prepare_convention(actor, convention.follow_up):
        raise PermissionDenied(
            _("Seuls les gestionnaires du programme et les experts de l'accompagnement "
              "modifient la convention.")
        )  # fmt: skip
    if convention.state != ConventionState.DRAFT:
        raise ValidationError(
            _("La convention est « %s » : elle ne se modifie plus.")
            % convention.get_state_display()
        )
    if expected_version is not None and int(expected_version) != convention.version:
        raise ValidationError(
            _("La convention a été modifiée entre-temps : rechargez la page et recommencez.")
        )
    changes = {}
    for name in FIELDS:
        if name in values:
            value = values[name] if values[name] is not None or name == "amount" else None
            if name == "objectives":
                value = value or ""
            if getattr(convention, name) != value:
                changes[name] = [str(getattr(convention, name)), str(value)]
                setattr(convention, name, value)
    _check_values({name: getattr(convention, name) for name in FIELDS})
    if parties is not None:
        rows = _parties(convention.follow_up, parties)
        before = [(p.role, p.organisation_id, p.signatory) for p in convention.parties.all()]
        after = [(role, organisation.pk, signatory) for role, organisation, signatory in rows]
        if before != after:
            _write_parties(convention, rows)
            changes["parties"] = [len(before), len(after)]
    convention.version += 1
    convention.save()
    record(
        actor, "followup.convention_changed", _("Projet de convention modifié"),
        targets=_targets(convention), changes=changes,
    )  # fmt: skip
    return convention


@transaction.atomic
def prepare_amendment(actor, convention):
    """An avenant to the convention in force: a new draft (number + 1) with its content and its
    parties, unsigned. The convention stays in force until the avenant is."""
    convention = (
        Convention.objects.select_for_update(of=("self",))
        .select_related("follow_up__project")
        .get(pk=convention.pk)
    )
    follow_up = convention.follow_up
    if not permissions.can_prepare_convention(actor, follow_up):
        raise PermissionDenied(
            _("Seuls les gestionnaires du programme et les experts de l'accompagnement "
              "préparent un avenant.")
        )  # fmt: skip
    if convention.state != ConventionState.IN_FORCE:
        raise ValidationError(_("Seule une convention en vigueur peut être modifiée par avenant."))
    if Convention.objects.filter(amends=convention).exists():
        raise ValidationError(_("Un avenant à cette convention est déjà en préparation."))
    number = Convention.objects.filter(follow_up=follow_up).aggregate(n=Max("number"))["n"] + 1
    amendment = Convention.objects.create(
        follow_up=follow_up, amends=convention, number=number, created_by=actor,
        **{name: getattr(convention, name) for name in FIELDS},
    )  # fmt: skip
    ConventionParty.objects.bulk_create(
        ConventionParty(convention=amendment, role=p.role, organisation_id=p.organisation_id,
                        signatory=p.signatory, order=p.order)
        for p in convention.parties.all()
    )  # fmt: skip
    record(
        actor, "followup.convention_amendment_prepared",
        _("Avenant n° %(n)s à la convention préparé") % {"n": number - 1},
        targets=_targets(amendment),
    )  # fmt: skip
    return amendment


# --- The PDF -----------------------------------------------------------------------------------


def pdf_templates(convention):
    """The programme's template when it has one, else the default (both extend base.html)."""
    slug = convention.follow_up.programme.slug
    return [f"followup/conventions/pdf/{slug}.html", "followup/conventions/pdf/default.html"]


def pdf_filename(convention):
    return f"convention-accompagnement-{convention.follow_up_id}-v{convention.number}.pdf"


def render_pdf(convention):
    """The convention as tagged PDF bytes (core.pdf, WeasyPrint)."""
    follow_up = (
        FollowUp.objects.select_related("project", "programme", "beneficiary", "coordinator")
        .get(pk=convention.follow_up_id)
    )  # fmt: skip
    parties = list(convention.parties.select_related("organisation").order_by("order", "pk"))
    template = select_template(pdf_templates(convention)).template.name
    ends_on = _months_later(convention.starts_on, convention.duration_months)
    return pdf.render(
        template,
        {"convention": convention, "follow_up": follow_up, "parties": parties,
         "ends_on": ends_on, "amendment_number": convention.number - 1},
    )  # fmt: skip


def _months_later(day, months):
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


# --- Guards, checks and effects of the workflow -------------------------------------------------


def _all_parties(convention):
    return list(convention.parties.select_related("organisation"))


def _ready_to_send(convention, data):
    parties = _all_parties(convention)
    roles = {party.role for party in parties}
    reasons = []
    if Role.STATE not in roles:
        reasons.append(
            _("Ajoutez l'État (le préfet, représenté par la DDT(M) ou la DREAL) aux parties.")
        )
    if Role.BENEFICIARY not in roles:
        reasons.append(_("Ajoutez la collectivité bénéficiaire aux parties."))
    if any(not party.signatory for party in parties):
        reasons.append(_("Nommez le signataire de chaque partie."))
    return reasons


def _generate(convention, actor, data):
    convention.sent_at = data["now"]
    convention.document.save(
        pdf_filename(convention), ContentFile(render_pdf(convention)), save=False
    )
    ConventionParty.objects.filter(convention=convention).update(reminded_at=None)


def _signing_party(convention, data):
    """The party `data["party"]` signs for, checked: one of this convention's, unsigned, of an
    organisation the actor belongs to; a date that has come, the signed scan attached."""
    party = data.get("party")
    if party is None or party.convention_id != convention.pk:
        return _("Choisissez la partie pour laquelle vous signez.")
    party = ConventionParty.objects.select_related("organisation").get(pk=party.pk)
    if party.signed_on is not None:
        return _("%(organisation)s a déjà signé cette convention, le %(date)s.") % {
            "organisation": party.organisation, "date": party.signed_on.strftime("%d/%m/%Y"),
        }  # fmt: skip
    if not permissions.signs_for(data["actor"], party):
        return _("Vous ne pouvez signer que pour une organisation dont vous êtes membre.")
    reasons = []
    signed_on = data.get("signed_on")
    if signed_on is None:
        reasons.append(_("Indiquez la date de la signature."))
    elif signed_on > timezone.localdate(data["now"]):
        reasons.append(_("La date de signature ne peut pas être dans le futur."))
    elif convention.sent_at and signed_on < timezone.localdate(convention.sent_at):
        reasons.append(_("La date de signature ne peut pas précéder l'envoi de la convention."))
    if not data.get("scan"):
        reasons.append(_("Joignez l'exemplaire signé (PDF ou image)."))
    else:
        try:
            UploadValidator("charter")(data["scan"])
        except ValidationError as error:
            reasons += error.messages
    return reasons


def _nobody_signed(convention, data):
    """A convention returns to its draft (to be corrected, then sent again) only before any
    party signed it: after a signature, it is amended once in force."""
    if ConventionParty.objects.filter(convention=convention, signed_on__isnull=False).exists():
        return _(
            "Une partie l'a déjà signée : elle se corrige par un avenant, une fois en vigueur."
        )
    return None


def _others_unsigned(convention, data):
    party = data.get("party")
    return ConventionParty.objects.filter(convention=convention, signed_on__isnull=True).exclude(
        pk=getattr(party, "pk", None)
    )


def _not_last(convention, data):
    if not _others_unsigned(convention, data).exists():
        return _("Vous êtes la dernière partie à signer.")
    return None


def _last(convention, data):
    if _others_unsigned(convention, data).exists():
        return _("D'autres parties doivent encore signer.")
    return None


def _record_signature(convention, actor, data):
    party = ConventionParty.objects.select_for_update(of=("self",)).get(pk=data["party"].pk)
    party.signed_on = data["signed_on"]
    party.signed_by = actor
    party.signed_scan = data["scan"]
    party.save()
    data["organisation"] = str(party.organisation)


def _in_force(convention, actor, data):
    convention.in_force_at = data["now"]
    FollowUp.objects.filter(pk=convention.follow_up_id, days_budget=0).update(
        days_budget=convention.days_budget, version=F("version") + 1
    )
    if convention.amends_id:
        workflows.fire(
            Convention.objects.get(pk=convention.amends_id), "amend", actor,
            comment=_("Avenant n° %(n)s entré en vigueur.") % {"n": convention.number - 1},
            amendment=convention,
        )  # fmt: skip


def _by_amendment(convention, data):
    if data.get("amendment") is None:
        return _("La convention est modifiée quand son avenant entre en vigueur.")
    return None


def _manages(user, convention):
    return permissions.manages(user, convention.follow_up)


def _prepares(user, convention):
    return permissions.can_prepare_convention(user, convention.follow_up)


def _signed(convention, data):
    return _("Convention signée par %(organisation)s") % {"organisation": data["organisation"]}


def _signed_last(convention, data):
    return _("Convention signée par toutes les parties (en dernier : %(organisation)s)") % {
        "organisation": data["organisation"]
    }


TRANSITIONS = (
    Transition(
        "send", gettext_lazy("Envoyer pour signature"), (ConventionState.DRAFT,),
        ConventionState.SENT, _prepares, "followup.convention_sent",
        guards=(_ready_to_send,), effects=(_generate,), style="primary",
        summary=lambda c, d: _("Convention (version %(n)s) envoyée pour signature aux parties")
        % {"n": c.number},
    ),
    Transition(
        "withdraw", gettext_lazy("Retirer de la signature"), (ConventionState.SENT,),
        ConventionState.DRAFT, _prepares, "followup.convention_withdrawn",
        guards=(_nobody_signed,), needs_comment=True,
        summary=lambda c, d: _("Convention (version %(n)s) retirée de la signature pour être "
                               "corrigée") % {"n": c.number},
    ),
    Transition(
        "sign", gettext_lazy("Signer la convention"), (ConventionState.SENT,),
        ConventionState.SENT, permissions.is_convention_party, "followup.convention_party_signed",
        guards=(_not_last,), checks=(_signing_party,), effects=(_record_signature,),
        summary=_signed,
    ),
    Transition(
        "sign_last", gettext_lazy("Signer la convention"), (ConventionState.SENT,),
        ConventionState.SIGNED, permissions.is_convention_party, "followup.convention_signed",
        guards=(_last,), checks=(_signing_party,), effects=(_record_signature,),
        summary=_signed_last,
    ),
    Transition(
        "enter_into_force", gettext_lazy("Déclarer en vigueur"), (ConventionState.SIGNED,),
        ConventionState.IN_FORCE, _manages, "followup.convention_in_force",
        effects=(_in_force,), style="primary",
        summary=lambda c, d: _("Convention (version %(n)s) en vigueur") % {"n": c.number},
    ),
    Transition(
        "amend", gettext_lazy("Modifiée par avenant"), (ConventionState.IN_FORCE,),
        ConventionState.AMENDED, _manages, "followup.convention_amended",
        guards=(_by_amendment,),
        summary=lambda c, d: _("Convention (version %(n)s) modifiée par avenant") % {"n": c.number},
    ),
    Transition(
        "close", gettext_lazy("Clore la convention"), (ConventionState.IN_FORCE,),
        ConventionState.CLOSED, _manages, "followup.convention_closed",
        summary=lambda c, d: _("Convention (version %(n)s) close") % {"n": c.number},
    ),
)  # fmt: skip

# Fired by the services with what the actor typed, never from a bare button.
NOT_BUTTONS = frozenset({"sign", "sign_last", "amend"})


def _stale(convention, transition):
    return _("Cette convention est maintenant « %s » : l'action n'a pas été appliquée.") % (
        convention.get_state_display()
    )


CONVENTION = workflows.register(
    workflows.Workflow(
        "followup_convention", Convention, ConventionState, TRANSITIONS, version_field="version",
        targets=lambda convention, data: _targets(convention), stale_message=_stale,
        related=("follow_up__project", "follow_up__programme"),
    )
)  # fmt: skip


# --- Services firing the transitions -------------------------------------------------------------


def send_for_signature(actor, convention, *, expected_version=None):
    return workflows.fire(convention, "send", actor, expected_version=expected_version)


@transaction.atomic
def sign(actor, convention, *, party, signed_on, scan):
    """`actor` records the signature of `party` (its organisation's) on `signed_on` with the
    signed scan; the last party's signature makes the convention signed."""
    Convention.objects.select_for_update(of=("self",)).get(
        pk=convention.pk
    )  # one signature at a time
    data = {"party": party, "signed_on": signed_on, "scan": scan}
    last = not _others_unsigned(convention, data).exists()
    return workflows.fire(convention, "sign_last" if last else "sign", actor, **data)


def enter_into_force(actor, convention):
    return workflows.fire(convention, "enter_into_force", actor)


def withdraw(actor, convention, reason, *, expected_version=None):
    """Back to its draft to be corrected (before any party signed), with the reason told to
    the parties."""
    return workflows.fire(
        convention, "withdraw", actor, comment=reason, expected_version=expected_version
    )


def close_convention(actor, convention, comment=""):
    return workflows.fire(convention, "close", actor, comment=comment)


# --- Reminders (a daily core.scheduler job) -------------------------------------------------------


def reminder_days():
    return int(getattr(settings, "FOLLOWUP_SIGNATURE_REMINDER_DAYS", DEFAULT_REMINDER_DAYS))


def send_signature_reminders(now=None):
    """Remind each party that has not signed `reminder_days()` after the convention was sent,
    then again every as many days: its organisation's members are told. A conditional UPDATE
    claims each reminder, so two runs never send it twice. Returns how many were sent."""
    from ecoquartier.notifications.delivery import inline

    now = now or timezone.now()
    period = datetime.timedelta(days=reminder_days())
    due = ConventionParty.objects.filter(
        convention__state=ConventionState.SENT,
        convention__sent_at__lte=now - period,
        signed_on__isnull=True,
    ).exclude(reminded_at__gt=now - period)
    sent = 0
    with inline():  # Already in a worker: the members are e-mailed here.
        for party_id in due.values_list("pk", flat=True):
            with transaction.atomic():
                claimed = (
                    ConventionParty.objects.filter(pk=party_id, signed_on__isnull=True)
                    .exclude(reminded_at__gt=now - period)
                    .update(reminded_at=now)
                )
                if claimed:
                    rows = ConventionParty.objects.select_related(
                        "organisation", "convention__follow_up__project"
                    )
                    _remind(rows.get(pk=party_id))
                    sent += 1
    return sent


def _remind(party):
    convention = party.convention
    record(
        None, "followup.convention_signature_reminder",
        _("Rappel : la convention « %(title)s » attend la signature de %(organisation)s") % {
            "title": convention.follow_up.title, "organisation": party.organisation},
        targets=[*_targets(convention), party.organisation],
        changes={"party": party.pk, "organisation": party.organisation_id},
    )  # fmt: skip


# --- Who is told (ADR 21) ------------------------------------------------------------------------


def _members(organisation_ids):
    return (
        get_user_model()
        .objects.filter(memberships__organisation_id__in=organisation_ids, is_active=True)
        .distinct()
    )


def _convention(targets):
    return targets.get(Convention, Convention.objects.select_related("follow_up__programme"))


def _parties_told(event, targets):
    convention = _convention(targets)
    return _members(convention.parties.values("organisation_id"))


def _reminded(event, targets):
    return _members([event.changes.get("organisation")])


def _managers(event, targets):
    from ecoquartier.calls.permissions import programme_managers

    convention = _convention(targets)
    return [
        *programme_managers(convention.follow_up.programme),
        *convention.follow_up.experts.all(),
    ]


def _url(event, targets):
    return reverse("followup:conventions", args=[targets.pk(FollowUp)])


def register_rules():
    from ecoquartier.notifications.registry import register

    register("followup.convention_sent", recipients=_parties_told, url=_url)
    register("followup.convention_withdrawn", recipients=_parties_told, url=_url)
    register("followup.convention_signature_reminder", recipients=_reminded, url=_url)
    register("followup.convention_signed", recipients=_managers, url=_url)
