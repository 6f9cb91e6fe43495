"""Support days (followup/days.py): who logs, changes and deletes activities, `days_used` kept
right in the same transaction, and the expertise requests' states."""

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from ecoquartier.core.models import ActivityEvent
from ecoquartier.core.workflows import TransitionRefused
from ecoquartier.followup import days, services
from ecoquartier.followup.models import (
    Domain,
    ExpertiseRequest,
    FollowUp,
    SupportActivity,
)
from tests.followup.factories import build_support, stranger
from tests.referentiel.factories import load_current, load_old

Kind = SupportActivity.Kind
State = ExpertiseRequest.State


@pytest.fixture
def referentiel(db):
    return load_current()


def log(actor, follow_up, **overrides):
    values = {"date": date(2025, 3, 10), "half_days": 3, "domain": Domain.MOBILITY,
              "kind": Kind.MEETING}  # fmt: skip
    values.update(overrides)
    return days.log_activity(actor, follow_up, **values)


def used(follow_up):
    return FollowUp.objects.get(pk=follow_up.pk).days_used


def test_a_named_expert_logs_half_days_and_the_counter_follows(support):
    activity = log(support.expert, support.follow_up, notes="  Réunion de lancement  ")
    assert activity.expert == support.expert and activity.created_by == support.expert
    assert activity.notes == "Réunion de lancement"
    assert used(support.follow_up) == Decimal("1.5")
    event = ActivityEvent.objects.get(verb="followup.activity_logged")
    assert event.summary == "Intervention consignée : 1,5 j, Réunion (Mobilités)"


def test_a_manager_logs_for_an_expert_of_the_team(support):
    activity = log(support.manager, support.follow_up, expert=support.expert, half_days=2)
    assert activity.expert == support.expert
    assert used(support.follow_up) == 1


@pytest.mark.parametrize("who", ["holder", "referent", "outsider"])
def test_others_may_not_log(support, who):
    with pytest.raises(PermissionDenied):
        log(getattr(support, who), support.follow_up)
    assert not SupportActivity.objects.exists() and used(support.follow_up) == 0


def test_the_operator_s_other_members_may_not_log(support):
    from ecoquartier.organisations.models import Membership
    from tests.applications.factories import member

    colleague = member(support.cerema, Membership.Role.EXPERT)
    with pytest.raises(PermissionDenied):
        log(colleague, support.follow_up)


@pytest.mark.parametrize("day", [date(2024, 12, 31), date(2028, 1, 2)])
def test_a_date_outside_the_period_is_refused(support, day):
    with pytest.raises(ValidationError) as refused:
        log(support.expert, support.follow_up, date=day)
    assert "période de l'accompagnement" in refused.value.message_dict["date"][0]
    assert used(support.follow_up) == 0


def test_the_period_s_first_and_last_days_are_accepted(support):
    log(support.expert, support.follow_up, date=date(2025, 1, 1), half_days=1)
    log(support.expert, support.follow_up, date=date(2028, 1, 1), half_days=1)
    assert used(support.follow_up) == 1


def test_someone_not_on_the_team_may_not_be_the_expert(support):
    with pytest.raises(ValidationError) as refused:
        log(support.manager, support.follow_up, expert=support.holder)
    assert "ne fait pas partie de l'équipe" in refused.value.message_dict["expert"][0]


def test_a_closed_follow_up_takes_no_more_days(support):
    services.close_follow_up(support.manager, support.follow_up)
    with pytest.raises(ValidationError, match="clos"):
        log(support.expert, support.follow_up)


@pytest.mark.parametrize("half_days", [0, 21])
def test_the_duration_is_bounded(support, half_days):
    with pytest.raises(ValidationError) as refused:
        log(support.expert, support.follow_up, half_days=half_days)
    assert "half_days" in refused.value.message_dict


def test_commitments_come_from_the_current_referentiel(support, referentiel):
    old = load_old()
    current = list(referentiel.dimensions.first().commitments.all()[:2])
    activity = log(support.expert, support.follow_up, commitments=current)
    assert set(activity.commitments.all()) == set(current)
    stale = old.dimensions.first().commitments.first()
    with pytest.raises(ValidationError) as refused:
        log(support.expert, support.follow_up, commitments=[stale])
    assert "référentiel en vigueur" in refused.value.message_dict["commitments"][0]


def test_the_linked_deliverable_belongs_to_the_follow_up(support, geo):
    own = support.follow_up.deliverables.first()
    assert log(support.expert, support.follow_up, deliverable=own).deliverable == own
    other = services.open_follow_up(
        support.manager, programme=support.world.call.programme, project=support.world.project,
        beneficiary=support.world.commune,
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        log(support.expert, support.follow_up, deliverable=other.deliverables.first())
    assert "deliverable" in refused.value.message_dict


def test_edits_and_deletes_keep_the_counter_right(support):
    first = log(support.expert, support.follow_up, half_days=4)
    second = log(support.expert, support.follow_up, half_days=1)
    days.change_activity(support.expert, first, {"half_days": 7, "domain": Domain.ENERGY})
    assert used(support.follow_up) == 4
    days.change_activity(support.manager, second, {"half_days": 2})
    assert used(support.follow_up) == Decimal("4.5")
    days.delete_activity(support.expert, first)
    assert used(support.follow_up) == 1 == days.recount(support.follow_up)
    assert SupportActivity.objects.get().half_days == 2
    changed = ActivityEvent.objects.filter(verb="followup.activity_changed").order_by("pk")[0]
    assert changed.changes["half_days"] == ["4", "7"]


def test_an_edit_refused_changes_nothing(support):
    activity = log(support.expert, support.follow_up, half_days=4)
    with pytest.raises(ValidationError):
        days.change_activity(support.expert, activity, {"half_days": 6, "date": date(2030, 1, 1)})
    assert used(support.follow_up) == 2
    assert SupportActivity.objects.get().half_days == 4


@pytest.mark.parametrize("who", ["holder", "referent", "outsider"])
def test_others_may_not_change_or_delete_an_activity(support, who):
    activity = log(support.expert, support.follow_up)
    with pytest.raises(PermissionDenied):
        days.change_activity(getattr(support, who), activity, {"half_days": 1})
    with pytest.raises(PermissionDenied):
        days.delete_activity(getattr(support, who), activity)
    assert used(support.follow_up) == Decimal("1.5")


def test_another_expert_of_the_team_may_not_change_an_activity_not_theirs(support):
    from ecoquartier.organisations.models import Membership
    from tests.applications.factories import member

    colleague = member(support.cerema, Membership.Role.EXPERT)
    support.follow_up.experts.add(colleague)
    activity = log(support.expert, support.follow_up)
    with pytest.raises(PermissionDenied):
        days.delete_activity(colleague, activity)


def test_nothing_changes_once_the_follow_up_is_closed(support):
    activity = log(support.expert, support.follow_up)
    services.close_follow_up(support.manager, support.follow_up)
    with pytest.raises(ValidationError):
        days.delete_activity(support.expert, activity)
    assert used(support.follow_up) == Decimal("1.5")


# --- Expertise requests -------------------------------------------------------------------------


def file(actor, follow_up, **overrides):
    values = {"subject": "Plan de mobilité du quartier", "domain": Domain.MOBILITY,
              "details": "Étude du stationnement.", "wished_on": date(2025, 6, 1)}  # fmt: skip
    values.update(overrides)
    return days.file_request(actor, follow_up, **values)


def test_the_holder_files_a_request_and_the_experts_are_told(
    support, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = file(support.holder, support.follow_up)
    assert request.state == State.SUBMITTED and request.requested_by == support.holder
    assert [m.to for m in mail.outbox] == [[support.expert.email]]
    assert "Plan de mobilité du quartier" in mail.outbox[0].subject


def test_a_manager_may_file_a_request_too(support):
    assert file(support.manager, support.follow_up).state == State.SUBMITTED


@pytest.mark.parametrize("who", ["expert", "referent", "outsider"])
def test_others_may_not_file_a_request(support, who):
    with pytest.raises(PermissionDenied):
        file(getattr(support, who), support.follow_up)
    assert not ExpertiseRequest.objects.exists()


def test_a_request_needs_a_subject_and_a_date_in_the_period(support):
    with pytest.raises(ValidationError) as refused:
        file(support.holder, support.follow_up, subject=" ", wished_on=date(2029, 1, 1))
    assert set(refused.value.message_dict) == {"subject", "wished_on"}


def test_the_coordinator_accepts_then_logging_days_plans_it(
    support, django_capture_on_commit_callbacks
):
    request = file(support.holder, support.follow_up)
    with django_capture_on_commit_callbacks(execute=True):
        days.accept_request(support.expert, request, "Nous venons le 3 juin.")
    request.refresh_from_db()
    assert request.state == State.ACCEPTED and request.answer == "Nous venons le 3 juin."
    assert mail.outbox[-1].to == [support.holder.email]
    log(support.expert, support.follow_up, request=request)
    request.refresh_from_db()
    assert request.state == State.PLANNED


def test_the_coordinator_declines_with_an_answer_and_the_requester_is_told(
    support, django_capture_on_commit_callbacks
):
    request = file(support.holder, support.follow_up)
    with pytest.raises(TransitionRefused, match="Expliquez"):
        days.decline_request(support.manager, request, "")
    with django_capture_on_commit_callbacks(execute=True):
        days.decline_request(support.manager, request, "Hors du champ de la convention.")
    request.refresh_from_db()
    assert request.state == State.DECLINED and request.answer.startswith("Hors du champ")
    assert [m.to for m in mail.outbox] == [[support.holder.email]]
    assert "Hors du champ de la convention." in mail.outbox[0].body


@pytest.mark.parametrize("who", ["holder", "referent", "outsider"])
def test_others_may_not_answer_a_request(support, who):
    request = file(support.holder, support.follow_up)
    with pytest.raises(PermissionDenied):
        days.accept_request(getattr(support, who), request)
    with pytest.raises(PermissionDenied):
        days.decline_request(getattr(support, who), request, "Non.")
    request.refresh_from_db()
    assert request.state == State.SUBMITTED


def test_only_an_accepted_request_of_the_follow_up_is_served(support):
    request = file(support.holder, support.follow_up)
    with pytest.raises(ValidationError) as refused:
        log(support.expert, support.follow_up, request=request)
    assert "request" in refused.value.message_dict
    days.decline_request(support.expert, request, "Non.")
    with pytest.raises(TransitionRefused):
        days.accept_request(support.expert, request)


def test_a_stale_answer_is_refused(support):
    request = file(support.holder, support.follow_up)
    days.accept_request(support.expert, request, expected_version=1)
    with pytest.raises(TransitionRefused, match="maintenant"):
        days.decline_request(support.manager, request, "Non.", expected_version=1)


def test_requests_of_a_closed_follow_up_are_refused(support):
    request = file(support.holder, support.follow_up)
    services.close_follow_up(support.manager, support.follow_up)
    with pytest.raises(ValidationError, match="clos"):
        file(support.holder, support.follow_up)
    with pytest.raises(TransitionRefused, match="clos"):
        days.accept_request(support.expert, request)


def test_consumption_by_domain_and_commitment_in_one_query_each(
    support, referentiel, django_assert_num_queries
):
    first, second = list(referentiel.dimensions.first().commitments.all()[:2])
    log(support.expert, support.follow_up, half_days=2, commitments=[first, second])
    log(support.expert, support.follow_up, half_days=3, domain=Domain.ENERGY, commitments=[first])
    log(support.expert, support.follow_up, half_days=1, domain=Domain.ENERGY)
    with django_assert_num_queries(1):
        assert days.by_domain(support.follow_up) == [
            ("Énergie et climat", 2), ("Mobilités", 1),
        ]  # fmt: skip
    with django_assert_num_queries(1):
        assert days.by_commitment(support.follow_up) == [
            (first.number, first.title, Decimal("2.5")),
            (second.number, second.title, 1),
        ]


def test_a_stranger_user_is_nobody_on_the_follow_up(support):
    with pytest.raises(PermissionDenied):
        log(stranger(), support.follow_up)


def test_the_support_of_a_second_programme_keeps_its_own_counter(geo):
    support = build_support(geo)
    log(support.expert, support.follow_up, half_days=2)
    assert used(support.follow_up) == 1
