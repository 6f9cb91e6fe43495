"""What the follow-up puts in a user's inbox (the dashboard's "À faire"): conventions waiting for
the signature of one of the user's organisations, deliverables to hand in (the owner's members)
or to review (the team, the managers), expertise requests to answer (the team), instalments to
process (the programme's managers). One aggregate query per row whatever the data size."""

from django.db.models import Count, Max, Min, Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ecoquartier.calls.permissions import managed_programmes
from ecoquartier.core.extensions import Task, register_tasks
from ecoquartier.followup.models import (
    ConventionParty,
    ConventionState,
    Deliverable,
    DeliverableState,
    ExpertiseRequest,
    FollowUp,
    Instalment,
)
from ecoquartier.organisations.permissions import is_programme_manager, organisation_ids

TO_HAND_IN = (DeliverableState.EXPECTED, DeliverableState.CHANGES_REQUESTED)
TO_PAY = (Instalment.State.REQUESTED, Instalment.State.CHECKED, Instalment.State.APPROVED)


def _team(user):
    """Follow-ups `user` works on: named expert, or manager of the programme."""
    condition = Q(
        pk__in=FollowUp.experts.through.objects.filter(user_id=user.pk).values("followup_id")
    )
    if is_programme_manager(user) or user.is_superuser:
        condition |= Q(programme__in=managed_programmes(user).values("pk"))
    return FollowUp.objects.filter(condition).values("pk")


def _task(label, found, section, order, due=None, detail=""):
    """A row linking to the section of the only follow-up concerned, or to the list."""
    if not found["n"]:
        return None
    if found["first"] == found["last"]:
        url = reverse(f"followup:{section}", args=[found["first"]])
    else:
        url = reverse("followup:index")
    return Task(label, found["n"], url, detail, due, order)


def _span(field="follow_up_id"):
    return {"n": Count("pk"), "first": Min(field), "last": Max(field)}


def conventions_to_sign(user):
    ids = organisation_ids(user)
    if not ids:
        return
    found = ConventionParty.objects.filter(
        organisation_id__in=ids, signed_on__isnull=True,
        convention__state=ConventionState.SENT,
    ).aggregate(**_span("convention__follow_up_id"))  # fmt: skip
    task = _task(_("Conventions d'accompagnement à signer"), found, "conventions", 15)
    if task:
        yield task


def deliverables_to_hand_in(user):
    ids = organisation_ids(user)
    if not ids:
        return
    found = Deliverable.objects.filter(
        owner_id__in=ids, state__in=TO_HAND_IN, follow_up__state=FollowUp.State.OPEN
    ).aggregate(due=Min("due_on"), **_span())
    detail = ""
    if found["due"]:
        detail = _("le prochain pour le %(day)s") % {"day": date_format(found["due"], "j F Y")}
    task = _task(_("Livrables à remettre"), found, "deliverables", 30, found["due"], detail)
    if task:
        yield task


def work_of_the_team(user):
    if not user.is_authenticated:
        return
    team = _team(user)
    reviews = Deliverable.objects.filter(
        follow_up__in=team, state=DeliverableState.SUBMITTED
    ).aggregate(**_span())
    task = _task(_("Livrables à relire"), reviews, "deliverables", 20)
    if task:
        yield task
    requests = ExpertiseRequest.objects.filter(
        follow_up__in=team, state=ExpertiseRequest.State.SUBMITTED
    ).aggregate(**_span())
    task = _task(_("Demandes d'expertise à traiter"), requests, "days", 22)
    if task:
        yield task


def instalments_to_process(user):
    if not (user.is_authenticated and (is_programme_manager(user) or user.is_superuser)):
        return
    found = Instalment.objects.filter(
        state__in=TO_PAY, grant__follow_up__programme__in=managed_programmes(user).values("pk")
    ).aggregate(**_span("grant__follow_up_id"))
    task = _task(_("Versements de subventions à traiter"), found, "grants", 25)
    if task:
        yield task


def register():
    for provider in (
        conventions_to_sign,
        deliverables_to_hand_in,
        work_of_the_team,
        instalments_to_process,
    ):
        register_tasks(f"followup.{provider.__name__}", provider, order=40)
