"""Visitors get the finder and the call pages from the cache, never older than the database nor
than the clock: a change of data shows at the next request, and so does the passing of a date
that changes a status."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from ecoquartier.calls import visitors
from ecoquartier.calls.models import (
    ARCHIVE_AFTER,
    CLOSING_SOON,
    Call,
    CallStep,
    Status,
    instant,
    next_change,
)
from tests.calls.factories import CallFactory, paris
from tests.organisations.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

FINDER = "/aides/"
SEARCH = "/aides/?territoire=commune%3A04160&q=friches"
TICK = timedelta(microseconds=1)


def main(response):
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def without_token(html):
    """The alert form's CSRF token and single-use key change at every request."""
    for name in ("csrfmiddlewaretoken", "_idempotency_key"):
        start = html.find(f'name="{name}"')
        html = html if start < 0 else html[:start] + html[html.index(">", start) :]
    return html


@pytest.fixture
def call(geo):
    return CallFactory(title="AMI Friches de Provence", perimeter=geo.paca)


@pytest.mark.parametrize("url", [FINDER, SEARCH, "call"])
def test_a_visitor_s_second_request_reads_the_counters_once(
    client, call, url, django_assert_num_queries
):
    url = call.get_absolute_url() if url == "call" else url
    first = client.get(url)
    # The generations of what the page shows (the clock's key reuses the calls one); a call
    # page also runs the laureates panel of the applications app.
    with django_assert_num_queries(2 if url == call.get_absolute_url() else 1):
        second = client.get(url)
    assert without_token(main(second)) == without_token(main(first))


@pytest.mark.parametrize("url", [FINDER, SEARCH, "call"])
def test_an_edited_call_shows_at_the_next_request(client, call, url):
    url = call.get_absolute_url() if url == "call" else url
    assertContains(client.get(url), "AMI Friches de Provence")
    call.title = "AMI Friches et centres anciens de Provence"
    call.save()
    assertContains(client.get(url), "AMI Friches et centres anciens de Provence")


def test_a_published_call_and_a_new_step_show_at_the_next_request(client, call, geo):
    assertNotContains(client.get(SEARCH), "Friches des Alpes")
    draft = CallFactory(title="Friches des Alpes", perimeter=geo.alpes_hp, state="draft")
    assertNotContains(client.get(SEARCH), "Friches des Alpes")
    draft.state = Call.State.PUBLISHED
    draft.save()
    assertContains(client.get(SEARCH), "Friches des Alpes")
    CallStep.objects.create(
        call=call, kind=CallStep.Kind.INTENTION, deadline=timezone.now() + timedelta(days=9)
    )
    assertContains(client.get(call.get_absolute_url()), "Prochaine étape : Note d")


def test_logged_in_users_never_get_the_visitors_pages(client, call, geo):
    town = OrganisationFactory(territory=geo.sainte_tulle, name="Commune de Sainte-Tulle")
    client.get(SEARCH)  # cached for visitors
    client.get(call.get_absolute_url())
    client.force_login(MembershipFactory(organisation=town).user)
    assertContains(client.get(SEARCH), "Éligibilité indiquée pour : Commune de Sainte-Tulle.")
    assertContains(client.get(call.get_absolute_url()), "Votre commune est éligible")


def verdicts(response):
    """(not eligible, eligible) badges of the finder's cards."""
    html = main(response)
    return html.count('fr-badge--error">Non éligible<'), html.count('fr-badge--success">Éligible<')


def test_the_finder_is_shared_by_the_users_of_one_organisation_only(
    client, call, geo, django_assert_max_num_queries
):
    town = OrganisationFactory(territory=geo.sainte_tulle, name="Commune de Sainte-Tulle")
    CallFactory(title="Friches des petites communes", perimeter=geo.paca, population_max=3000)
    client.force_login(MembershipFactory(organisation=town).user)
    first = client.get(SEARCH)
    assert verdicts(first) == (1, 1)  # Sainte-Tulle has 3,558 inhabitants
    colleague = MembershipFactory(organisation=town).user
    client.force_login(colleague)
    with django_assert_max_num_queries(5):  # session, user, memberships, generations (+ clock)
        second = client.get(SEARCH)
    # The same page but for the alert form, which offers each user their own address.
    assert without_token(main(second)).replace(colleague.email, "") == without_token(
        main(first)
    ).replace(first.wsgi_request.user.email, "")
    village = OrganisationFactory(territory=geo.alpes_hp, name="Département des Alpes")
    client.force_login(MembershipFactory(organisation=village).user)
    assertContains(client.get(SEARCH), "Éligibilité indiquée pour : Département des Alpes.")


def test_a_change_to_the_organisation_or_its_territory_shows_at_the_next_request(client, call, geo):
    town = OrganisationFactory(territory=geo.sainte_tulle, name="Commune de Sainte-Tulle")
    CallFactory(title="Friches des petites communes", perimeter=geo.paca, population_max=3000)
    client.force_login(MembershipFactory(organisation=town).user)
    assert verdicts(client.get(SEARCH)) == (1, 1)
    geo.sainte_tulle.population = 2900
    geo.sainte_tulle.save()
    assert verdicts(client.get(SEARCH)) == (0, 2)
    town.name = "Ville de Sainte-Tulle"
    town.save()
    assertContains(client.get(SEARCH), "Éligibilité indiquée pour : Ville de Sainte-Tulle.")


# --- Time -------------------------------------------------------------------------------------


def utc(*args):
    """A Paris date as an instant: durations are added in UTC, as the database does."""
    return instant(paris(*args))


def test_the_next_change_is_the_first_date_that_turns_a_status(geo):
    closes = utc(2030, 3, 1, 23, 59)  # closing soon from 15 February
    call = CallFactory(deadline=closes)
    CallStep.objects.create(call=call, kind=CallStep.Kind.INTENTION, deadline=utc(2030, 2, 20))
    archived = CallFactory(deadline=utc(2029, 9, 1))  # archived 180 days after
    Call.objects.filter(pk=archived.pk).update(opens_at=utc(2029, 6, 1))
    assert next_change(utc(2030, 1, 10)) == closes - CLOSING_SOON - TICK
    assert next_change(closes - CLOSING_SOON) == utc(2030, 2, 20)
    assert next_change(utc(2030, 2, 21)) == utc(2029, 9, 1) + ARCHIVE_AFTER
    assert next_change(utc(2029, 9, 1) + ARCHIVE_AFTER + TICK) == closes
    assert next_change(closes + TICK) == closes + ARCHIVE_AFTER
    assert next_change(closes + ARCHIVE_AFTER + TICK) is None


def test_each_instant_next_change_returns_is_the_last_with_the_same_statuses(geo):
    """The statuses at `now` hold until next_change(now), inclusive, and change just after."""
    CallFactory(deadline=paris(2030, 3, 1, 23, 59))
    opening = CallFactory(deadline=paris(2030, 6, 1))
    Call.objects.filter(pk=opening.pk).update(
        opens_at=paris(2030, 2, 1, 9, 0), archived_at=paris(2030, 4, 1, 8, 0)
    )
    now, seen = paris(2030, 1, 1), 0
    while (until := next_change(now)) is not None:
        statuses = dict(Call.objects.with_status(now).values_list("pk", "status"))
        assert dict(Call.objects.with_status(until).values_list("pk", "status")) == statuses
        now = until + TICK
        seen += 1
    assert seen >= 5
    assert set(Call.objects.with_status(now).values_list("status", flat=True)) == {Status.ARCHIVED}


def test_a_visitor_s_cached_page_is_computed_again_once_a_status_date_has_passed(call):
    request = RequestFactory().get(FINDER)
    request.user = AnonymousUser()
    computed = []

    def content(now):
        computed.append(now)
        return len(computed)

    soon = call.closes_at - CLOSING_SOON  # the call turns "closing soon" at that instant
    assert visitors.for_visitors(request, "page", content, soon - timedelta(days=1)) == 1
    assert visitors.for_visitors(request, "page", content, soon - TICK) == 1
    assert visitors.for_visitors(request, "page", content, soon) == 2
    assert visitors.for_visitors(request, "page", content, call.closes_at) == 2
    assert visitors.for_visitors(request, "page", content, call.closes_at + TICK) == 3
