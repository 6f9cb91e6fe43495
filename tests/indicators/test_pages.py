"""The board and an indicator's page: grouped by challenge, chart with its table, recording by
the holders only, restricted values hidden from visitors, bounded queries."""

import datetime

import pytest
from django.urls import reverse

from ecoquartier.indicators import loader, services
from ecoquartier.indicators.models import IndicatorValue
from tests.accounts.factories import UserFactory
from tests.organisations.factories import MembershipFactory, OrganisationFactory
from tests.projects.factories import ProjectFactory
from tests.referentiel.factories import load_current

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    load_current()
    indicators = loader.load(loader.DATA_DIR / "2023.yaml").indicator_set.indicators
    commune = OrganisationFactory()
    holder = MembershipFactory(organisation=commune, user=UserFactory()).user
    project = ProjectFactory(holders=[commune], is_public=True)
    share = indicators.get(code="CC-04")
    services.record_value(holder, project, share, kind="target", value=30, year=2030)
    services.record_value(
        holder, project, share, kind="measurement", value=18, date=datetime.date(2024, 6, 1),
        visibility="restricted", comment="MARQUE-RESTREINTE",
    )  # fmt: skip
    return {"project": project, "holder": holder, "share": share}


def test_the_holder_sees_the_board_grouped_by_challenge(client, setting):
    client.force_login(setting["holder"])
    page = client.get(reverse("indicators:board", args=[setting["project"].slug]))
    html = page.content.decode()
    for challenge in ("Chiffres clés", "Sobriété", "Résilience", "Inclusion", "Création de valeur"):
        assert challenge in html
    assert "18,0 %" in html


def test_the_indicator_page_draws_the_chart_beside_its_table(client, setting):
    client.force_login(setting["holder"])
    url = reverse("indicators:indicator", args=[setting["project"].slug, "CC-04"])
    html = client.get(url).content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html and 'role="img"' in html
    assert "<caption>Valeurs enregistrées</caption>" in html


def test_a_restricted_value_is_hidden_from_someone_who_only_sees_the_public_project(
    client, setting
):
    client.force_login(UserFactory())
    url = reverse("indicators:indicator", args=[setting["project"].slug, "CC-04"])
    html = client.get(url).content.decode()
    assert "18,0 %" not in html and "Réservée" not in html
    assert "30,0 %" in html


def test_recording_through_the_page_and_french_errors_beside_the_field(client, setting):
    client.force_login(setting["holder"])
    url = reverse("indicators:indicator", args=[setting["project"].slug, "CC-04"])
    response = client.post(url, {"kind": "measurement", "value": "140", "date": "2025-01-01",
                                 "quality": "measured", "visibility": "public"})  # fmt: skip
    assert response.status_code == 400
    assert "La valeur doit être comprise entre 0,0 et 100,0 %." in response.content.decode()
    response = client.post(url, {"kind": "measurement", "value": "21,5", "date": "2025-01-01",
                                 "quality": "measured", "visibility": "public"})  # fmt: skip
    assert response.status_code == 302
    assert IndicatorValue.objects.filter(value="21.5").exists()


def test_someone_else_cannot_record(client, setting):
    client.force_login(UserFactory())
    url = reverse("indicators:indicator", args=[setting["project"].slug, "CC-04"])
    assert client.post(url, {"kind": "target", "value": "1", "year": "2030"}).status_code == 403


def test_the_board_is_bounded_in_queries(client, setting, django_assert_max_num_queries):
    client.force_login(setting["holder"])
    url = reverse("indicators:board", args=[setting["project"].slug])
    client.get(url)
    with django_assert_max_num_queries(14):
        client.get(url)
    for day in range(1, 28):
        IndicatorValue.objects.create(
            project=setting["project"], indicator=setting["share"], kind="measurement",
            value=20, date=datetime.date(2023, 1, day),
        )  # fmt: skip
    with django_assert_max_num_queries(14):
        client.get(url)


def test_the_page_compares_with_similar_projects_once_five_have_published(client, setting):
    client.force_login(setting["holder"])
    url = reverse("indicators:indicator", args=[setting["project"].slug, "CC-04"])
    assert "il faut au moins 5 projets" in client.get(url).content.decode()
    for value in (10, 20, 25, 30, 40):
        other = ProjectFactory(is_public=True, stage=setting["project"].stage)
        IndicatorValue.objects.create(
            project=other, indicator=setting["share"], kind="measurement", value=value,
            date=datetime.date(2024, 1, 1),
        )  # fmt: skip
    html = client.get(url).content.decode()
    assert "Parmi 5 projets comparables, la médiane est de 25,0 %" in html
    assert "rang 5 sur 6" in html  # own 18 %: only 10 is lower
    assert 'class="eq-indicator-strip"' in html


def test_the_board_writes_the_first_of_the_month_the_french_way(client, setting):
    IndicatorValue.objects.create(
        project=setting["project"], indicator=setting["share"], kind="measurement", value=19,
        date=datetime.date(2024, 7, 1),
    )  # fmt: skip
    client.force_login(setting["holder"])
    html = client.get(reverse("indicators:board", args=[setting["project"].slug])).content.decode()
    assert "19,0 % (1er juillet 2024)" in html
    assert reverse("indicators:indicator", args=[setting["project"].slug, "CC-04"]) in html
