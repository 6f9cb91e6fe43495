"""Milestones and deliverables (issue 14, deliverable 5): who plans them, who uploads, who
reviews; versions numbered 1, 2, …; late flags; who is told; reminders sent once per offset."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ecoquartier.core import workflows
from ecoquartier.core.workflows import TransitionRefused
from ecoquartier.followup import deliverables, plan
from ecoquartier.followup.models import (
    Deliverable,
    DeliverableReminder,
    DeliverableState,
    DeliverableVersion,
    MilestoneTemplate,
)

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def pdf(name="note.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def first(support):
    """The « Note de cadrage » the programme's phase plan asks of the beneficiary."""
    return Deliverable.objects.get(follow_up=support.follow_up, title="Note de cadrage")


# --- The phase plan and the team's planning -----------------------------------------------------


def test_the_phase_plan_becomes_milestones_and_deliverables_owned_by_the_beneficiary(support):
    follow_up = support.follow_up
    assert [m.title for m in follow_up.milestones.all()] == [
        "Cadrage", "Diagnostic", "Stratégie", "Plan d'actions",
    ]  # fmt: skip
    note = first(support)
    assert note.due_on == datetime.date(2025, 4, 1)
    assert note.owner_id == follow_up.beneficiary_id
    assert note.milestone.title == "Cadrage"


def test_the_managers_replace_the_phase_plan_the_experts_may_not(support):
    programme = support.follow_up.programme
    with pytest.raises(PermissionDenied):
        deliverables.set_phase_plan(support.expert, programme, [])
    deliverables.set_phase_plan(
        support.manager, programme,
        [{"title": "Atelier 1", "offset_months": 2, "deliverables": ["Compte rendu"]}],
    )  # fmt: skip
    templates = list(MilestoneTemplate.objects.filter(programme=programme))
    assert [(t.title, t.offset_months, t.deliverables) for t in templates] == [
        ("Atelier 1", 2, ["Compte rendu"])
    ]
    assert support.follow_up.milestones.count() == 4  # open follow-ups keep theirs


def test_months_later_keeps_the_day_or_takes_the_month_s_last():
    assert plan.months_later(datetime.date(2025, 1, 31), 1) == datetime.date(2025, 2, 28)
    assert plan.months_later(datetime.date(2025, 11, 15), 3) == datetime.date(2026, 2, 15)


@pytest.mark.parametrize("who", ["manager", "expert"])
def test_the_team_adds_and_changes_milestones_and_deliverables(support, who):
    actor = getattr(support, who)
    follow_up = support.follow_up
    milestone = deliverables.add_milestone(
        actor, follow_up, title="Restitution", due_on=datetime.date(2026, 6, 1)
    )
    item = deliverables.add_deliverable(
        actor, follow_up, title="Support de restitution", due_on=datetime.date(2026, 5, 20),
        milestone=milestone,
    )  # fmt: skip
    assert item.owner_id == follow_up.beneficiary_id
    deliverables.change_milestone(
        actor, milestone, title="Restitution publique", due_on=datetime.date(2026, 6, 2),
        reached=True, today=datetime.date(2026, 6, 2),
    )  # fmt: skip
    milestone.refresh_from_db()
    assert (milestone.title, milestone.done_on) == (
        "Restitution publique",
        datetime.date(2026, 6, 2),
    )
    deliverables.change_deliverable(actor, item, {"owner": support.cerema, "title": "Support"})
    item.refresh_from_db()
    assert (item.owner, item.title) == (support.cerema, "Support")


@pytest.mark.parametrize("who", ["holder", "referent", "outsider"])
def test_others_may_not_plan(support, who):
    actor = getattr(support, who)
    with pytest.raises(PermissionDenied):
        deliverables.add_milestone(
            actor, support.follow_up, title="X", due_on=datetime.date(2026, 1, 1)
        )
    with pytest.raises(PermissionDenied):
        deliverables.add_deliverable(
            actor, support.follow_up, title="X", due_on=datetime.date(2026, 1, 1)
        )
    with pytest.raises(PermissionDenied):
        deliverables.change_deliverable(actor, first(support), {"title": "Y"})


def test_a_deliverable_takes_only_a_milestone_of_its_follow_up(support):
    from django.core.exceptions import ValidationError

    from ecoquartier.followup import services

    other = services.open_follow_up(
        support.manager, programme=support.follow_up.programme, project=support.world.project,
        beneficiary=support.world.commune,
    )  # fmt: skip
    with pytest.raises(ValidationError):
        deliverables.add_deliverable(
            support.manager, support.follow_up, title="X", due_on=datetime.date(2026, 1, 1),
            milestone=other.milestones.first(),
        )  # fmt: skip


# --- Upload and review --------------------------------------------------------------------------


def test_the_owner_s_member_uploads_versions_numbered_one_two(support):
    note = first(support)
    deliverables.upload(support.holder, note, pdf(), "Première version")
    assert note.state == DeliverableState.SUBMITTED
    deliverables.upload(support.holder, note, pdf("note-v2.pdf"), "Corrigée")
    versions = DeliverableVersion.objects.filter(deliverable=note).order_by("number")
    assert [(v.number, v.name, v.comment) for v in versions] == [
        (1, "note.pdf", "Première version"),
        (2, "note-v2.pdf", "Corrigée"),
    ]
    assert versions[0].uploaded_by == support.holder


def test_the_team_may_upload_for_the_owner(support):
    deliverables.upload(support.expert, first(support), pdf())
    assert first(support).state == DeliverableState.SUBMITTED


@pytest.mark.parametrize("who", ["referent", "outsider"])
def test_others_may_not_upload(support, who):
    with pytest.raises(PermissionDenied):
        deliverables.upload(getattr(support, who), first(support), pdf())
    assert not DeliverableVersion.objects.exists()


def test_an_upload_needs_an_acceptable_file(support):
    with pytest.raises(TransitionRefused, match="Joignez"):
        deliverables.upload(support.holder, first(support), None)
    script = SimpleUploadedFile("note.exe", b"MZ...", content_type="application/octet-stream")
    with pytest.raises(TransitionRefused):
        deliverables.upload(support.holder, first(support), script)
    assert first(support).state == DeliverableState.EXPECTED


@pytest.mark.parametrize("who", ["manager", "expert"])
def test_the_reviewers_accept(support, who):
    note = first(support)
    deliverables.upload(support.holder, note, pdf())
    deliverables.review(getattr(support, who), note, "accept", "Très clair.")
    note.refresh_from_db()
    assert note.state == DeliverableState.ACCEPTED
    assert note.accepted_at is not None
    log = workflows.log_of(note).first()
    assert (log.transition, log.comment) == ("accept", "Très clair.")


@pytest.mark.parametrize("who", ["holder", "referent", "outsider"])
def test_others_may_not_review(support, who):
    note = first(support)
    deliverables.upload(support.expert, note, pdf())
    for decision in ("accept", "request_changes"):
        with pytest.raises(PermissionDenied):
            deliverables.review(getattr(support, who), note, decision, "Non.")
    assert first(support).state == DeliverableState.SUBMITTED


def test_changes_requested_need_a_comment_then_a_new_upload_resubmits(support):
    note = first(support)
    deliverables.upload(support.holder, note, pdf())
    with pytest.raises(TransitionRefused, match="modifier"):
        deliverables.review(support.expert, note, "request_changes", "  ")
    deliverables.review(support.expert, note, "request_changes", "Ajoutez le calendrier.")
    assert note.state == DeliverableState.CHANGES_REQUESTED
    with pytest.raises(TransitionRefused):  # nothing to review until a new version comes
        deliverables.review(support.expert, note, "accept")
    deliverables.upload(support.holder, note, pdf("v2.pdf"), "Calendrier ajouté")
    assert note.state == DeliverableState.SUBMITTED
    assert note.files.count() == 2
    assert [log.transition for log in workflows.log_of(note)] == [
        "submit", "request_changes", "submit",
    ]  # fmt: skip


def test_an_expected_deliverable_may_not_be_accepted_nor_an_accepted_one_replaced(support):
    note = first(support)
    with pytest.raises(TransitionRefused):
        deliverables.review(support.manager, note, "accept")
    deliverables.upload(support.holder, note, pdf())
    deliverables.review(support.manager, note, "accept")
    with pytest.raises(TransitionRefused):
        deliverables.upload(support.holder, note, pdf())


def test_a_review_of_a_version_one_did_not_see_is_refused(support):
    note = first(support)
    deliverables.upload(support.holder, note, pdf())
    seen = note.version
    deliverables.upload(support.holder, note, pdf("v2.pdf"))
    with pytest.raises(TransitionRefused, match="Déposé"):
        deliverables.review(support.expert, note, "accept", expected_version=seen)


def test_a_closed_follow_up_takes_no_upload(support):
    from ecoquartier.followup import services

    services.close_follow_up(support.manager, support.follow_up)
    with pytest.raises(PermissionDenied):
        deliverables.upload(support.holder, first(support), pdf())


# --- Late flags ---------------------------------------------------------------------------------


def test_late_means_due_date_passed_and_not_accepted(support):
    note = first(support)  # due 1 April 2025
    before, after = datetime.date(2025, 3, 31), datetime.date(2025, 4, 2)
    assert not deliverables.is_late(note, before)
    assert deliverables.is_late(note, after)
    late = deliverables.with_late(Deliverable.objects.filter(pk=note.pk), after).get()
    assert late.late
    deliverables.upload(support.holder, note, pdf())
    assert deliverables.is_late(note, after)  # submitted is not enough
    deliverables.review(support.expert, note, "accept")
    assert not deliverables.is_late(note, after)
    assert not Deliverable.objects.filter(deliverables.late_condition(after), pk=note.pk).exists()


# --- Who is told --------------------------------------------------------------------------------


def test_the_reviewers_hear_of_an_upload_the_owner_of_the_review_and_its_comment(
    support, mailoutbox, django_capture_on_commit_callbacks
):
    note = first(support)
    with django_capture_on_commit_callbacks(execute=True):
        deliverables.upload(support.holder, note, pdf())
    told = {address for message in mailoutbox for address in message.to}
    assert {support.expert.email, support.manager.email} <= told
    assert support.holder.email not in told
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        deliverables.review(support.expert, note, "request_changes", "Ajoutez le calendrier.")
    assert [m.to for m in mailoutbox] == [[support.holder.email]]
    assert "Ajoutez le calendrier." in mailoutbox[0].body
    assert f"/livrables/{note.pk}/" in mailoutbox[0].body


# --- Reminders ----------------------------------------------------------------------------------


def at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(8)))


def test_reminders_go_once_per_offset_even_when_the_job_runs_twice(support, mailoutbox):
    note = first(support)  # due 1 April 2025
    for day in (
        datetime.date(2025, 3, 10),  # 22 days before: nothing
        datetime.date(2025, 3, 18),  # J-14
        datetime.date(2025, 3, 18),  # the same day, again
        datetime.date(2025, 3, 20),  # still J-14's window
        datetime.date(2025, 3, 25),  # J-7
        datetime.date(2025, 3, 31),  # J-1
        datetime.date(2025, 3, 31),
    ):
        deliverables.send_due_reminders(at(day))
    rows = DeliverableReminder.objects.filter(deliverable=note)
    assert sorted(rows.values_list("days_before", flat=True)) == [1, 7, 14]
    subjects = [m.subject for m in mailoutbox if "Note de cadrage" in m.subject]
    assert len(subjects) == 3
    assert "J-14" in subjects[0] and "J-7" in subjects[1] and "J-1" in subjects[2]
    assert {tuple(m.to) for m in mailoutbox} == {(support.holder.email,)}


def test_a_submitted_or_accepted_deliverable_is_not_reminded(support, mailoutbox):
    deliverables.upload(support.holder, first(support), pdf())
    mailoutbox.clear()
    deliverables.send_due_reminders(at(datetime.date(2025, 3, 25)))
    assert not DeliverableReminder.objects.exists()
    assert mailoutbox == []


def test_the_daily_job_is_registered():
    from ecoquartier.core import scheduler

    job = scheduler.JOBS["deliverable_reminders"]
    assert job.function == "ecoquartier.followup.deliverables.send_due_reminders"
