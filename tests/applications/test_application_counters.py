"""ApplicationCount, kept by database triggers (ADR 19), equals a fresh COUNT of the
applications in each case (call, state, eligibility, scored) after every kind of change: a
start, a submission, each workflow transition, a bulk action, scoring, a queryset update, a move
to another call and deletions. And the pages reading it show the counted numbers."""

from django.db.models import Count, Q
from django.urls import reverse

from ecoquartier.applications import counts, services
from ecoquartier.applications.models import Application, ApplicationCount, State
from ecoquartier.applications.views.instruction import _counts
from ecoquartier.applications.views.jury import RANKED_STATES, _ranking_counts
from ecoquartier.core import workflows
from tests.applications.factories import review_for, submitted_application
from tests.applications.test_scoring import scores_for
from tests.calls.factories import CallFactory

ELIGIBLE_KEY = {True: 1, False: 0, None: 2}


def counted():
    """{(call, state, eligible key, scored): n} by a GROUP BY over the applications."""
    rows = (
        Application.objects.order_by()
        .values_list("call_id", "state", "eligible")
        .annotate(scored=Count("pk", filter=Q(score__isnull=False)), n=Count("pk"))
    )
    result = {}
    for call, state, eligible, scored, n in rows:
        for is_scored, number in ((True, scored), (False, n - scored)):
            if number:
                result[call, state, ELIGIBLE_KEY[eligible], is_scored] = number
    return result


def kept():
    rows = ApplicationCount.objects.values_list("call_id", "state", "eligible", "scored", "total")
    assert all(total >= 0 for *_key, total in rows)
    return {tuple(key): total for *key, total in rows if total}


def assert_counters_match():
    assert kept() == counted()


def test_counters_follow_a_start_and_a_submission(world):
    application = services.start_application(world.holder, world.call, world.commune)
    assert kept() == {(world.call.pk, State.DRAFT, 2, False): 1}
    submitted_application(world)  # Its own draft, answered and submitted: eligibility judged.
    assert_counters_match()
    assert counted()[world.call.pk, State.SUBMITTED, 1, False] == 1
    workflows.fire(application, "withdraw", world.holder)
    assert_counters_match()


def test_counters_follow_every_instruction_and_jury_transition(world):
    applications = [submitted_application(world) for _ in range(5)]
    applications = [workflows.fire(a, "start_review", world.manager) for a in applications]
    assert_counters_match()
    first, second, third, fourth, fifth = applications
    first = workflows.fire(first, "request_completion", world.manager, comment="Le plan manque.")
    assert_counters_match()
    services.save_answers(world.holder, first, {"summary": "Avec le plan."})
    workflows.fire(first, "resubmit", world.holder)
    assert_counters_match()
    workflows.fire(second, "dismiss", world.manager, comment="Hors périmètre.")
    third = workflows.fire(third, "wait_list", world.manager, comment="Ex aequo.")
    workflows.fire(third, "select", world.manager, comment="Désisté remplacé.")
    workflows.fire(fourth, "reject", world.manager, comment="Moins avancé.")
    workflows.fire(fifth, "invite_full_file", world.manager)
    assert_counters_match()


def test_counters_follow_a_bulk_action_of_the_dashboard(client, world):
    applications = [submitted_application(world) for _ in range(3)]
    client.force_login(world.manager)
    response = client.post(
        reverse("applications:bulk", args=[world.call.slug]),
        {
            "applications": [a.pk for a in applications],
            "action": "request_completion",
            "reason": "Merci de joindre le plan de situation.",
        },
    )
    assert response.status_code == 302
    assert Application.objects.filter(state=State.COMPLETION_REQUESTED).count() == 3
    assert_counters_match()


def test_counters_follow_scoring(world):
    application = submitted_application(world, State.UNDER_REVIEW)
    assert kept()[world.call.pk, State.UNDER_REVIEW, 1, False] == 1
    review = review_for(application, world.reviewers[0])
    services.declare_conflict(review.reviewer, review, False)
    services.save_review(
        review.reviewer, review, scores_for(world, 5, 1), recommendation="yes", submit=True
    )
    application.refresh_from_db()
    assert application.score is not None
    assert kept()[world.call.pk, State.UNDER_REVIEW, 1, True] == 1
    assert_counters_match()


def test_counters_follow_queryset_updates_moves_and_deletions(world):
    applications = [submitted_application(world) for _ in range(4)]
    Application.objects.filter(pk__in=[a.pk for a in applications[:2]]).update(
        state=State.UNDER_REVIEW, eligible=None
    )
    assert_counters_match()
    Application.objects.filter(pk=applications[2].pk).update(eligible=False, score=12)
    assert_counters_match()
    other = CallFactory(perimeter=world.call.perimeter)
    Application.objects.filter(pk=applications[3].pk).update(call=other, step=world.intention)
    assert_counters_match()
    applications[0].delete()
    assert_counters_match()
    Application.objects.filter(call=world.call).delete()
    assert_counters_match()
    assert kept() == {(other.pk, State.SUBMITTED, 1, False): 1}


def test_the_dashboard_and_the_ranking_read_the_counters_for_managers(client, world):
    states = [State.UNDER_REVIEW, State.UNDER_REVIEW, State.SELECTED, State.SUBMITTED]
    applications = [submitted_application(world, state) for state in states]
    Application.objects.filter(pk=applications[0].pk).update(score=15, eligible=None)
    by_state = counts.by_state_and_eligibility(world.call)
    assert by_state == {
        (State.UNDER_REVIEW, None): 1,
        (State.UNDER_REVIEW, True): 1,
        (State.SELECTED, True): 1,
        (State.SUBMITTED, True): 1,
    }
    # Managers read the counters; the DDT referent (Reillanne) counts the same files.
    assert _counts(world.manager, world.call) == by_state == _counts(world.referent, world.call)
    ranked = Application.objects.filter(call=world.call, state__in=RANKED_STATES)
    expected = {"scored": 1, "unscored": 2}
    assert counts.ranking_totals(world.call, RANKED_STATES) == expected
    assert _ranking_counts(world.referent, world.call, ranked) == expected
    client.force_login(world.manager)
    page = client.get(reverse("applications:ranking", args=[world.call.slug])).content.decode()
    assert "2 candidatures en instruction n’ont pas encore de note" in page


def test_triggers_dropped_by_a_table_rebuild_come_back_after_migrate_with_exact_counts(world):
    """Django alters a SQLite table by rebuilding it, which drops its triggers: the
    post_migrate hook puts them back and recounts."""
    from django.core.management import call_command
    from django.db import connection

    submitted_application(world)
    counts.drop_triggers(connection)
    submitted_application(world)  # not counted: no trigger
    assert counts.installed_triggers(connection) == set()

    call_command("migrate", verbosity=0)

    assert counts.installed_triggers(connection) == counts.TRIGGERS
    fresh = dict(
        Application.objects.filter(call=world.call)
        .values_list("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    counted = {}
    for (state, _eligible), n in counts.by_state_and_eligibility(world.call).items():
        counted[state] = counted.get(state, 0) + n
    assert counted == fresh
