"""The programme dashboard (issue 14, deliverable 7): its columns counted right, the forecast's
arithmetic, filters, bounded queries whatever the number of follow-ups, CSV and XLSX exports."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from ecoquartier.core.generations import bump
from ecoquartier.followup import cached, days
from ecoquartier.followup.dashboard import forecast
from ecoquartier.followup.models import (
    Convention,
    ConventionState,
    Deliverable,
    DeliverableState,
    Domain,
    FollowUp,
    Grant,
    Instalment,
    SupportActivity,
)
from tests.accounts.factories import UserFactory
from tests.calls.factories import ProgrammeFactory
from tests.projects.factories import ProjectFactory

INDEX = reverse("followup:index")


# --- The forecast ------------------------------------------------------------------------------


def test_the_forecast_follows_the_pace_so_far():
    # 12 days in a year: the 24 left need two more years.
    assert forecast(date(2025, 1, 1), 36, 12, date(2026, 1, 1)) == (24, date(2028, 1, 1))


def test_half_days_count_for_half():
    left, runs_out = forecast(date(2025, 1, 1), 36, Decimal("1.5"), date(2025, 1, 31))
    assert left == Decimal("34.5")
    assert runs_out == date(2025, 1, 31) + timedelta(days=690)  # 0.05 day a day


@pytest.mark.parametrize(
    ("budget", "used", "today", "left"),
    [
        (36, 0, date(2025, 6, 1), 36),  # no activity yet
        (36, 40, date(2025, 6, 1), -4),  # budget exceeded
        (36, 36, date(2025, 6, 1), 0),  # budget spent
        (0, 0, date(2025, 6, 1), 0),  # no budget
    ],
)
def test_no_forecast_without_a_pace_or_days_left(budget, used, today, left):
    assert forecast(date(2025, 1, 1), budget, used, today) == (left, None)


def test_the_dashboard_forecasts_as_the_days_page_does():
    # On its first day, two days used: the pace of a day elapsed (the days page's rule).
    assert forecast(date(2025, 1, 1), 36, 2, date(2025, 1, 1)) == (34, date(2025, 1, 18))


# --- The columns -------------------------------------------------------------------------------


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def busy(support, geo, today):
    """The support with 12 days used, two late deliverables (and one late but accepted, one to
    come), three instalments waiting (and one paid, one refused), a signed convention amended by
    one sent for signature; and a closed support of another programme in Bretagne."""
    follow_up = support.follow_up
    FollowUp.objects.filter(pk=follow_up.pk).update(days_used=12, region=geo.paca)
    Deliverable.objects.filter(follow_up=follow_up).delete()
    deliverables = (
        (-10, DeliverableState.EXPECTED), (-1, DeliverableState.CHANGES_REQUESTED),
        (-5, DeliverableState.ACCEPTED), (30, DeliverableState.EXPECTED),
    )  # fmt: skip
    for offset, state in deliverables:
        Deliverable.objects.create(
            follow_up=follow_up, title=f"Livrable {offset}", due_on=today + timedelta(days=offset),
            owner=support.world.commune, state=state,
        )  # fmt: skip
    grant = Grant.objects.create(
        follow_up=follow_up, funder=support.world.call.programme.owner, purpose="Études",
        amount=Decimal(100000),
    )  # fmt: skip
    for state in Instalment.State:
        Instalment.objects.create(grant=grant, kind="interim", amount=Decimal(1000), state=state)
    first = Convention.objects.create(
        follow_up=follow_up, number=1, state=ConventionState.AMENDED, object="Accompagnement",
        starts_on=date(2025, 1, 1),
    )  # fmt: skip
    Convention.objects.create(
        follow_up=follow_up, number=2, amends=first, state=ConventionState.SENT,
        object="Avenant", starts_on=date(2025, 1, 1),
    )  # fmt: skip
    other = FollowUp.objects.create(
        project=ProjectFactory(name="Quartier de Brest"), programme=ProgrammeFactory(name="PACA"),
        beneficiary=support.world.commune, region=geo.bretagne, title="=Brest",
        starts_on=today - timedelta(days=100), ends_on=today + timedelta(days=900),
        days_budget=10, state=FollowUp.State.CLOSED,
    )  # fmt: skip
    return follow_up, other


def rows_by_pk(response):
    return {row["pk"]: row for row in response.context["rows"]}


def test_each_column_counts_what_it_says(client, busy, today):
    follow_up, other = busy
    client.force_login(UserFactory(is_superuser=True))
    rows = rows_by_pk(client.get(INDEX))
    row = rows[follow_up.pk]
    assert (row["days_used"], row["days_budget"], row["days_left"]) == (12, 36, 24)
    assert row["forecast_end"] == forecast(follow_up.starts_on, 36, 12, today)[1]
    assert row["deliverables_late"] == 2
    assert row["instalments_waiting"] == 3
    assert row["convention"] == "Envoyée pour signature" and row["convention_unsigned"]
    assert row["region"] == "Provence-Alpes-Côte d'Azur"
    empty = rows[other.pk]
    assert (empty["deliverables_late"], empty["instalments_waiting"]) == (0, 0)
    assert (empty["convention"], empty["convention_unsigned"]) == ("Aucune", True)
    assert empty["forecast_end"] is None  # nothing used yet
    avenant = Convention.objects.get(follow_up=follow_up, number=2)
    avenant.state = ConventionState.IN_FORCE
    avenant.save()  # as its workflow saves it: the cached rows are computed again
    assert not rows_by_pk(client.get(INDEX))[follow_up.pk]["convention_unsigned"]


def test_what_changes_shows_at_the_next_reading(client, support):
    """The rows, the page and its programmes are cached by generation (followup/cached.py):
    a change through the services, or a name changed anywhere, shows at once."""
    follow_up = support.follow_up
    client.force_login(support.manager)
    assert rows_by_pk(client.get(INDEX))[follow_up.pk]["days_used"] == 0
    days.log_activity(
        support.expert, follow_up, date=follow_up.starts_on, half_days=3,
        domain=Domain.MOBILITY, kind=SupportActivity.Kind.MEETING,
    )  # fmt: skip
    assert rows_by_pk(client.get(INDEX))[follow_up.pk]["days_used"] == Decimal("1.5")
    project = follow_up.project
    project.name = "Quartier renommé"
    project.save()
    assert rows_by_pk(client.get(INDEX))[follow_up.pk]["project"] == "Quartier renommé"
    other = FollowUp.objects.create(
        project=project, programme=follow_up.programme, beneficiary=follow_up.beneficiary,
        title="Second accompagnement", starts_on=follow_up.starts_on, ends_on=follow_up.ends_on,
    )  # fmt: skip
    response = client.get(INDEX)
    assert set(rows_by_pk(response)) == {follow_up.pk, other.pk}
    assert response.context["page_obj"].paginator.count == 2


def test_the_filters_narrow_the_rows(client, busy, geo):
    follow_up, other = busy
    client.force_login(UserFactory(is_superuser=True))
    assert set(rows_by_pk(client.get(INDEX, {"region": geo.bretagne.pk}))) == {other.pk}
    by_programme = client.get(INDEX, {"programme": follow_up.programme_id})
    assert set(rows_by_pk(by_programme)) == {follow_up.pk}
    assert set(rows_by_pk(client.get(INDEX, {"state": "closed"}))) == {other.pk}
    assert len(client.get(INDEX, {"region": "nimporte"}).context["rows"]) == 2  # stale link


def test_each_user_sees_only_the_follow_ups_it_may_see(client, busy):
    follow_up, _other = busy
    client.force_login(follow_up.created_by)  # the programme's manager
    assert set(rows_by_pk(client.get(INDEX))) == {follow_up.pk}
    client.force_login(UserFactory())
    assert client.get(INDEX).context["rows"] == []


def test_the_page_reads_its_rows_in_a_bounded_number_of_queries(
    client, support, today, django_assert_max_num_queries
):
    client.force_login(support.manager)
    with django_assert_max_num_queries(40) as few:
        assert len(client.get(INDEX).context["rows"]) == 1
    base = support.follow_up
    clones = FollowUp.objects.bulk_create(
        FollowUp(
            project=base.project,
            programme=base.programme,
            beneficiary=base.beneficiary,
            title=f"Suivi {n}",
            starts_on=base.starts_on,
            ends_on=base.ends_on,
            days_budget=36,
            days_used=n % 30,
        )  # fmt: skip
        for n in range(59)
    )
    Deliverable.objects.bulk_create(
        Deliverable(
            follow_up=c, title="Note", due_on=today - timedelta(days=3), owner=base.beneficiary
        )  # fmt: skip
        for c in clones
    )
    Convention.objects.bulk_create(
        Convention(follow_up=c, object="Convention", starts_on=base.starts_on) for c in clones
    )
    bump(cached.GENERATION)  # bulk writes send no signal: their writers bump (cached.py)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(INDEX)
    assert response.context["page_obj"].paginator.count == 60
    assert all(row["deliverables_late"] >= 1 for row in response.context["rows"])


# --- Exports -----------------------------------------------------------------------------------


def test_the_csv_export_holds_the_filtered_rows_made_inert(client, busy, geo):
    follow_up, other = busy
    client.force_login(UserFactory(is_superuser=True))
    response = client.get(reverse("followup:export", args=["csv"]), {"region": geo.bretagne.pk})
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    lines = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert lines[0][:3] == ["Accompagnement", "Projet", "Collectivité"]
    assert len(lines) == 2
    assert lines[1][0] == "'=Brest"  # a formula turned into text
    assert lines[1][4] == "Bretagne"
    assert lines[1][-2:] == ["oui", "Clos"]


def test_the_xlsx_export_has_typed_cells(client, busy):
    follow_up, _other = busy
    client.force_login(UserFactory(is_superuser=True))
    response = client.get(
        reverse("followup:export", args=["xlsx"]), {"programme": follow_up.programme_id}
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert header[10:12] == ("Livrables en retard", "Versements en attente")
    assert len(rows) == 1
    row = rows[0]
    assert row[0] == follow_up.title
    assert (row[5], row[6], row[10], row[11]) == (12, 36, 2, 3)
    assert row[8].date() == follow_up.ends_on
    assert client.get(reverse("followup:export", args=["pdf"])).status_code == 404


def test_the_dashboard_offers_it_to_programme_managers_only(client, support):
    client.force_login(support.manager)
    link = "Tableau de bord des accompagnements"
    assert link in client.get(reverse("core:dashboard")).content.decode()
    client.force_login(support.holder)
    assert link not in client.get(reverse("core:dashboard")).content.decode()
