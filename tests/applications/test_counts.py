"""The counts of the dashboard and of the ranking: one pass over an index each, and the same
numbers as counting the listed rows."""

from decimal import Decimal

from django.urls import reverse

from ecoquartier.applications.models import Application, State
from ecoquartier.applications.reads import filtered_applications, parse_filters
from ecoquartier.applications.views.instruction import _counts, _known_count
from ecoquartier.applications.views.jury import RANKED_STATES, _ranking_counts
from tests.applications.factories import submitted_application


def test_ranking_counts_scored_and_unscored_files(world):
    states = [State.UNDER_REVIEW, State.UNDER_REVIEW, State.SELECTED, State.SUBMITTED]
    applications = [submitted_application(world, state) for state in states]
    Application.objects.filter(pk__in=[applications[0].pk, applications[2].pk]).update(
        score=Decimal("12.00")
    )
    Application.objects.filter(pk=applications[3].pk).update(score=Decimal("15.00"))
    ranked = Application.objects.filter(call=world.call, state__in=RANKED_STATES)
    # The managers read the counters; a State referent counts the files they instruct.
    assert _ranking_counts(world.manager, world.call, ranked) == {"scored": 2, "unscored": 1}
    assert _ranking_counts(world.referent, world.call, ranked) == {"scored": 2, "unscored": 1}
    assert _ranking_counts(world.referent, world.call, ranked.none()) == {
        "scored": 0,
        "unscored": 0,
    }
    unscored = ranked.filter(score__isnull=True)
    assert _ranking_counts(world.referent, world.call, unscored) == {"scored": 0, "unscored": 1}


def test_the_dashboard_count_comes_from_the_counts_by_state_and_eligibility(client, world):
    cases = [
        (State.SUBMITTED, True), (State.SUBMITTED, None), (State.UNDER_REVIEW, False),
        (State.UNDER_REVIEW, True), (State.DISMISSED, False), (State.WITHDRAWN, True),
    ]  # fmt: skip
    for state, eligible in cases:
        application = submitted_application(world, state)
        Application.objects.filter(pk=application.pk).update(eligible=eligible)
    counts = _counts(world.manager, world.call)
    for state in ("", State.SUBMITTED, State.UNDER_REVIEW, State.WITHDRAWN, "nonsense"):
        for eligible in ("", "yes", "no", "unknown"):
            params = {"state": state, "eligible": eligible}
            filters = parse_filters(params)
            expected = filtered_applications(world.manager, world.call, params).count()
            assert _known_count(filters, counts) == expected, params
    client.force_login(world.manager)
    page = client.get(
        reverse("applications:dashboard", args=[world.call.slug]) + "?eligible=no"
    ).content.decode()
    assert "2 candidatures —" in page


def test_the_counts_by_state_and_eligibility_match_a_group_by(world, geo):
    from django.db.models import Count

    from ecoquartier.applications import services
    from ecoquartier.applications.views.instruction import _counts

    for state, eligible in [
        (State.SUBMITTED, True),
        (State.SELECTED, False),
        (State.DISMISSED, None),
    ]:
        application = submitted_application(world, state)
        Application.objects.filter(pk=application.pk).update(eligible=eligible)
    # A draft is its applicants' only: not even counted for instructors (it was).
    services.start_application(world.holder, world.call, world.commune)
    expected = {
        (state, eligible): n
        for state, eligible, n in Application.objects.submitted()
        .filter(call=world.call)
        .order_by()
        .values_list("state", "eligible")
        .annotate(n=Count("*"))
    }
    assert _counts(world.manager, world.call) == expected
    assert _counts(world.referent, world.call) == expected  # The DDT oversees Reillanne.
    assert _counts(world.outsider, world.call) == {}
