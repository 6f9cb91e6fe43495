"""Milestones and deliverables of a follow-up (issue 14, deliverable 5).

- Services: the team (named experts) and the programme's managers add and change milestones and
  deliverables; the managers edit the programme's phase plan (`MilestoneTemplate`, copied into
  each new follow-up by plan.py).
- Workflow (`core.workflows`, ADR 20): the owner's members upload a version (expected or changes
  requested → submitted; a new upload while submitted replaces what the reviewers read), the
  reviewers accept it or request changes with a comment. Each upload is a `DeliverableVersion`
  numbered 1, 2, … under the row's lock.
- Who is told (ADR 21): the reviewers of an upload, the owner's members of a review.
- Reminders: a daily job (core.scheduler) tells the owner's members J-14, J-7 and J-1 before a
  due date, once per (deliverable, reminder) — `DeliverableReminder` claims it.
- Late: due date passed and not accepted (`late_condition`, `is_late`).
"""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import BooleanField, Case, Max, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ecoquartier.calls.permissions import programme_managers
from ecoquartier.core import workflows
from ecoquartier.core.activity import record
from ecoquartier.core.files import download_name
from ecoquartier.core.uploads import validate
from ecoquartier.core.workflows import Transition
from ecoquartier.followup import permissions
from ecoquartier.followup.models import (
    CalendarKey,
    Deliverable,
    DeliverableReminder,
    DeliverableState,
    DeliverableVersion,
    Milestone,
    MilestoneTemplate,
)

DAYS_BEFORE = (1, 7, 14)
OPEN_STATES = (DeliverableState.EXPECTED, DeliverableState.CHANGES_REQUESTED)

# --- Late flags ---------------------------------------------------------------------------------


def late_condition(today=None):
    """Due date passed and not accepted, as a Q on deliverables."""
    today = today or timezone.localdate()
    return Q(due_on__lt=today) & ~Q(state=DeliverableState.ACCEPTED)


def with_late(queryset, today=None):
    """The deliverables with `late` annotated (no extra query)."""
    return queryset.annotate(
        late=Case(
            When(late_condition(today), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def is_late(deliverable, today=None):
    today = today or timezone.localdate()
    return deliverable.state != DeliverableState.ACCEPTED and deliverable.due_on < today


# --- Milestones and deliverables ---------------------------------------------------------------


def _check_planner(actor, follow_up):
    if not permissions.can_plan_deliverables(actor, follow_up):
        raise PermissionDenied(
            gettext("Seuls l'équipe de l'accompagnement et ses gestionnaires fixent les jalons.")
        )


def _targets(obj, follow_up):
    return [obj, follow_up, follow_up.project]


@transaction.atomic
def add_milestone(actor, follow_up, *, title, due_on):
    _check_planner(actor, follow_up)
    order = (Milestone.objects.filter(follow_up=follow_up).aggregate(m=Max("order"))["m"] or 0) + 1
    milestone = Milestone.objects.create(
        follow_up=follow_up, order=order, title=title, due_on=due_on
    )
    record(
        actor, "followup.milestone_added",
        gettext("Jalon ajouté : %(title)s") % {"title": title},
        targets=_targets(milestone, follow_up),
    )  # fmt: skip
    return milestone


@transaction.atomic
def change_milestone(actor, milestone, *, title, due_on, reached, today=None):
    """Change its title and due date; `reached` marks it reached today (or keeps the day it was
    reached), False clears it."""
    milestone = (
        Milestone.objects.select_for_update(of=("self",))
        .select_related("follow_up__project", "follow_up__programme")
        .get(pk=milestone.pk)
    )
    follow_up = milestone.follow_up
    _check_planner(actor, follow_up)
    done_on = (milestone.done_on or today or timezone.localdate()) if reached else None
    changes = {
        name: [str(getattr(milestone, name)), str(value)]
        for name, value in (("title", title), ("due_on", due_on), ("done_on", done_on))
        if getattr(milestone, name) != value
    }
    milestone.title, milestone.due_on, milestone.done_on = title, due_on, done_on
    milestone.save()
    record(
        actor, "followup.milestone_changed",
        gettext("Jalon modifié : %(title)s") % {"title": title},
        targets=_targets(milestone, follow_up), changes=changes,
    )  # fmt: skip
    return milestone


def _check_milestone(follow_up, milestone):
    if milestone is not None and milestone.follow_up_id != follow_up.pk:
        raise ValidationError({"milestone": gettext("Ce jalon n'est pas celui de ce suivi.")})


@transaction.atomic
def add_deliverable(actor, follow_up, *, title, due_on, description="", milestone=None,
                    owner=None):  # fmt: skip
    """A deliverable owned by `owner` (the beneficiary by default)."""
    _check_planner(actor, follow_up)
    _check_milestone(follow_up, milestone)
    deliverable = Deliverable.objects.create(
        follow_up=follow_up, milestone=milestone, title=title, description=description,
        due_on=due_on, owner_id=owner.pk if owner else follow_up.beneficiary_id,
    )  # fmt: skip
    record(
        actor, "followup.deliverable_added",
        gettext("Livrable attendu : %(title)s") % {"title": title},
        targets=_targets(deliverable, follow_up),
    )  # fmt: skip
    return deliverable


DELIVERABLE_FIELDS = ("title", "description", "due_on", "milestone", "owner")


@transaction.atomic
def change_deliverable(actor, deliverable, values):
    deliverable = (
        Deliverable.objects.select_for_update(of=("self",))
        .select_related("follow_up__project", "follow_up__programme", "follow_up__beneficiary")
        .get(pk=deliverable.pk)
    )
    follow_up = deliverable.follow_up
    _check_planner(actor, follow_up)
    _check_milestone(follow_up, values.get("milestone"))
    changes = {}
    if "owner" in values and values["owner"] is None:
        values = {**values, "owner": follow_up.beneficiary}
    for name in DELIVERABLE_FIELDS:
        if name in values and getattr(deliverable, name) != values[name]:
            changes[name] = [str(getattr(deliverable, name)), str(values[name])]
            setattr(deliverable, name, values[name])
    deliverable.version += 1
    deliverable.save()
    record(
        actor, "followup.deliverable_changed",
        gettext("Livrable modifié : %(title)s") % {"title": deliverable.title},
        targets=_targets(deliverable, follow_up), changes=changes,
    )  # fmt: skip
    return deliverable


# --- The programme's phase plan -----------------------------------------------------------------


@transaction.atomic
def set_phase_plan(actor, programme, phases):
    """Replace the programme's phase plan by `phases`: [{title, offset_months, deliverables
    (list of titles)}] in order. Follow-ups already open keep their milestones."""
    if not permissions.can_plan_programme(actor, programme):
        raise PermissionDenied(gettext("Seuls les gestionnaires du programme fixent ses phases."))
    before = list(
        MilestoneTemplate.objects.filter(programme=programme).values_list("title", flat=True)
    )
    MilestoneTemplate.objects.filter(programme=programme).delete()
    templates = MilestoneTemplate.objects.bulk_create(
        MilestoneTemplate(
            programme=programme, order=order, title=phase["title"],
            offset_months=phase["offset_months"], deliverables=list(phase["deliverables"]),
        )
        for order, phase in enumerate(phases)
    )  # fmt: skip
    record(
        actor, "followup.phase_plan_changed",
        gettext("Phases types du programme modifiées"),
        targets=[programme], changes={"phases": [before, [t.title for t in templates]]},
    )  # fmt: skip
    return templates


# --- Workflow: upload, accept, request changes --------------------------------------------------


def _file_given(deliverable, data):
    upload = data.get("file")
    if not upload:
        return gettext("Joignez le fichier du livrable.")
    try:
        validate(upload, "evidence")
    except ValidationError as error:
        return error.messages
    return None


def _add_version(deliverable, actor, data):
    """Version n + 1, numbered under the deliverable's lock."""
    last = DeliverableVersion.objects.filter(deliverable=deliverable).aggregate(n=Max("number"))
    upload = data["file"]
    data["version"] = DeliverableVersion.objects.create(
        deliverable=deliverable, number=(last["n"] or 0) + 1, file=upload,
        name=download_name(upload.name)[:255], comment=data["comment"],
        uploaded_by=actor if actor.is_authenticated else None,
    )  # fmt: skip
    deliverable.accepted_at = None


def _accepted(deliverable, actor, data):
    deliverable.accepted_at = data["now"]


def _uploaded(deliverable, data):
    return gettext("Livrable « %(title)s » déposé (version %(number)s)") % {
        "title": deliverable.title,
        "number": data["version"].number,
    }


def _accepted_summary(deliverable, data):
    return gettext("Livrable « %(title)s » accepté") % {"title": deliverable.title}


def _changes_summary(deliverable, data):
    return gettext("Modifications demandées sur le livrable « %(title)s »") % {
        "title": deliverable.title
    }


def _may_upload(user, deliverable):
    return permissions.can_upload_deliverable(user, deliverable)


def _may_review(user, deliverable):
    return permissions.can_review_deliverable(user, deliverable)


S = DeliverableState
TRANSITIONS = (
    Transition(
        "submit", _("Déposer une version"), (S.EXPECTED, S.SUBMITTED, S.CHANGES_REQUESTED),
        S.SUBMITTED, _may_upload, "followup.deliverable_submitted",
        checks=(_file_given,), effects=(_add_version,), summary=_uploaded, style="primary",
    ),
    Transition(
        "accept", _("Accepter le livrable"), (S.SUBMITTED,), S.ACCEPTED, _may_review,
        "followup.deliverable_accepted", effects=(_accepted,), summary=_accepted_summary,
        style="primary",
    ),
    Transition(
        "request_changes", _("Demander des modifications"), (S.SUBMITTED,),
        S.CHANGES_REQUESTED, _may_review, "followup.deliverable_changes_requested",
        needs_comment=True, summary=_changes_summary,
    ),
)  # fmt: skip


def _workflow_targets(deliverable, data):
    return [deliverable, deliverable.follow_up, deliverable.follow_up.project, data.get("version")]


def _stale(deliverable, transition):
    return gettext("Ce livrable est maintenant « %s » : l'action n'a pas été appliquée.") % (
        deliverable.get_state_display()
    )


DELIVERABLE = workflows.register(
    workflows.Workflow(
        "deliverable", Deliverable, DeliverableState, TRANSITIONS, version_field="version",
        targets=_workflow_targets, stale_message=_stale,
        related=("follow_up__programme", "follow_up__project"),
        comment_required=_("Dites ce qu'il faut modifier."),
    )
)  # fmt: skip


def upload(actor, deliverable, file, comment="", expected_version=None):
    """A new version of `deliverable` (submitted for review); returns the deliverable."""
    return workflows.fire(
        deliverable, "submit", actor, comment=comment, expected_version=expected_version,
        file=file,
    )  # fmt: skip


def review(actor, deliverable, decision, comment="", expected_version=None):
    """`decision`: "accept" or "request_changes" (which needs a comment)."""
    if decision not in ("accept", "request_changes"):
        raise workflows.TransitionRefused(gettext("Décision inconnue."))
    return workflows.fire(
        deliverable, decision, actor, comment=comment, expected_version=expected_version
    )


# --- Who is told --------------------------------------------------------------------------------

NOTIFICATION = "followup/deliverables/notifications/deliverable"


def owner_members(deliverable):
    return (
        get_user_model()
        .objects.filter(memberships__organisation_id=deliverable.owner_id, is_active=True)
        .distinct()
    )


def _deliverable(targets):
    return targets.get(Deliverable, Deliverable.objects.select_related("follow_up__programme"))


def _reviewers(event, targets):
    deliverable = _deliverable(targets)
    follow_up = deliverable.follow_up
    experts = follow_up.experts.filter(is_active=True)
    return [*experts, *programme_managers(follow_up.programme)]


def _owners(event, targets):
    return list(owner_members(_deliverable(targets)))


def _context(event, targets):
    deliverable = _deliverable(targets)
    return {
        "deliverable": deliverable,
        "path": reverse("followup:deliverable", args=[deliverable.follow_up_id, deliverable.pk]),
    }


def register_rules():
    from ecoquartier.notifications.registry import register

    register(
        "followup.deliverable_submitted", recipients=_reviewers, template=NOTIFICATION,
        context=_context,
    )  # fmt: skip
    for verb in (
        "followup.deliverable_accepted",
        "followup.deliverable_changes_requested",
        "followup.deliverable_reminder",
    ):
        register(verb, recipients=_owners, template=NOTIFICATION, context=_context)


# --- Reminders before due dates ----------------------------------------------------------------


def send_due_reminders(now=None):
    """The daily sweep: J-14, J-7, J-1 before each due date of a deliverable not yet submitted
    (or sent back), once per (deliverable, reminder); after a day without workers, the reminder
    due meanwhile goes out with the days actually left."""
    from ecoquartier.notifications.delivery import inline

    today = timezone.localdate(now or timezone.now())
    deliverables = Deliverable.objects.filter(
        state__in=OPEN_STATES,
        follow_up__state="open",
        due_on__gte=today,
        due_on__lte=today + datetime.timedelta(days=max(DAYS_BEFORE)),
    ).select_related("follow_up__project")
    sent = 0
    with inline():  # Already in a worker: e-mail here, not through more tasks.
        for deliverable in deliverables.iterator():
            days_left = max(1, (deliverable.due_on - today).days)
            reminder = next(d for d in DAYS_BEFORE if days_left <= d)
            sent += _remind(deliverable, reminder, days_left)
    return gettext("%(n)s rappel(s) de livrable envoyé(s)") % {"n": sent}


@transaction.atomic
def _remind(deliverable, days_before, days_left):
    try:
        with transaction.atomic():
            DeliverableReminder.objects.create(deliverable=deliverable, days_before=days_before)
    except IntegrityError:  # sent already, by an earlier run or another worker
        return 0
    record(
        None, "followup.deliverable_reminder",
        gettext("Rappel : le livrable « %(title)s » est attendu le %(date)s (J-%(days)s)")
        % {"title": deliverable.title, "date": deliverable.due_on.strftime("%d/%m/%Y"),
           "days": days_left},
        targets=[deliverable, deliverable.follow_up], changes={"days_left": days_left},
    )  # fmt: skip
    return 1


# --- The iCal feed (RFC 5545, written by hand) -------------------------------------------------

CALENDAR_SALT = "followup.calendar"


def _calendar_version(user_pk):
    found = CalendarKey.objects.filter(user_id=user_pk).values_list("version", flat=True).first()
    return found or 1


def calendar_token(user):
    """The secret of `user`'s calendar address (signed with the site's key, with the version of
    the address: renewing it makes the earlier ones open nothing)."""
    return signing.dumps([user.pk, _calendar_version(user.pk)], salt=CALENDAR_SALT)


def calendar_user(token):
    """The active user whose current calendar address `token` is, or None."""
    try:
        payload = signing.loads(token, salt=CALENDAR_SALT)
    except signing.BadSignature:
        return None
    # Addresses given before they had versions sign the user's pk alone: version 1.
    pk, version = payload if isinstance(payload, list) else (payload, 1)
    if version != _calendar_version(pk):
        return None
    return get_user_model().objects.filter(pk=pk, is_active=True).first()


@transaction.atomic
def renew_calendar(user):
    """A new calendar address for `user`: the earlier ones stop working at once."""
    # Without a row the address was version 1: the first renewal makes it 2.
    key, created = CalendarKey.objects.select_for_update().get_or_create(
        user=user, defaults={"version": 2}
    )
    if not created:
        key.version += 1
        key.save(update_fields=["version"])
    record(
        user, "followup.calendar_renewed", _("Adresse d'agenda des accompagnements renouvelée"),
        targets=[user],
    )  # fmt: skip
    return calendar_token(user)


def _text(value):
    """A TEXT value (RFC 5545, 3.3.11)."""
    value = str(value).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "")


def _fold(line):
    """Lines of at most 75 octets, continued after CRLF + space (RFC 5545, 3.1)."""
    parts, current, size, limit = [], "", 0, 75
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            parts.append(current)
            current, size, limit = "", 0, 74  # the continuation's leading space counts
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def _event(uid, day, summary, description, url, stamp):
    return [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
        f"DTEND;VALUE=DATE:{day + datetime.timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{_text(summary)}",
        f"DESCRIPTION:{_text(description)}",
        f"URL:{url}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]


def calendar(user, now=None):
    """The iCalendar text of the milestones and deliverables' due dates of every follow-up
    `user` may see: two queries whatever their number. Titles of follow-ups stay out (only the
    project's public name), the address being a bearer secret."""
    follow_ups = permissions.visible_follow_ups(user).values("pk")
    stamp = (now or timezone.now()).astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    host = urlsplit(settings.SITE_URL).hostname or "ecoquartier"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//EcoQuartier//Accompagnements//FR",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_text(gettext('Jalons et livrables des accompagnements'))}",
    ]
    milestones = Milestone.objects.filter(follow_up__in=follow_ups).select_related(
        "follow_up__project"
    )
    for milestone in milestones.order_by("due_on", "pk"):
        project = milestone.follow_up.project
        url = settings.SITE_URL + reverse("followup:deliverables", args=[milestone.follow_up_id])
        done = (
            gettext("Atteint le %s") % milestone.done_on.strftime("%d/%m/%Y")
            if milestone.done_on
            else gettext("Pas encore atteint")
        )
        lines += _event(
            f"milestone-{milestone.pk}@{host}", milestone.due_on,
            gettext("Jalon : %(title)s — %(project)s")
            % {"title": milestone.title, "project": project.name},
            done, url, stamp,
        )  # fmt: skip
    deliverables = Deliverable.objects.filter(follow_up__in=follow_ups).select_related(
        "follow_up__project"
    )
    for deliverable in deliverables.order_by("due_on", "pk"):
        project = deliverable.follow_up.project
        url = settings.SITE_URL + reverse(
            "followup:deliverable", args=[deliverable.follow_up_id, deliverable.pk]
        )
        lines += _event(
            f"deliverable-{deliverable.pk}@{host}", deliverable.due_on,
            gettext("Livrable : %(title)s — %(project)s")
            % {"title": deliverable.title, "project": project.name},
            gettext("État : %s") % deliverable.get_state_display(), url, stamp,
        )  # fmt: skip
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)


def programme_links(calls, request):
    """On the managers' list of calls: each programme's phase plan and « what is due » table
    (one query)."""
    from ecoquartier.calls.permissions import managed_programmes

    return {"programmes": list(managed_programmes(request.user).order_by("name"))}
