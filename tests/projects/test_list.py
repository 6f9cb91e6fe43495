import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from ecoquartier.projects.models import OperationType, Project, Theme
from tests.organisations.factories import OrganisationFactory
from tests.projects.factories import ProjectFactory
from tests.territories.factories import CommuneFactory, DepartementFactory, RegionFactory

pytestmark = pytest.mark.django_db


def names(response):
    return {p["name"] for p in response.context["page_obj"].object_list}


@pytest.fixture
def geography():
    idf = RegionFactory(code="11", name="Île-de-France")
    paca = RegionFactory(code="93", name="Provence-Alpes-Côte d'Azur")
    d93 = DepartementFactory(code="93", name="Seine-Saint-Denis", region=idf)
    d04 = DepartementFactory(code="04", name="Alpes-de-Haute-Provence", region=paca)
    return {
        "idf": idf,
        "paca": paca,
        "d93": d93,
        "d04": d04,
        "saint-ouen": CommuneFactory(code="93070", name="Saint-Ouen-sur-Seine", departement=d93),
        "reillanne": CommuneFactory(code="04160", name="Reillanne", departement=d04),
    }


def project_in(commune, **kwargs):
    holder = commune.organisations.first() or OrganisationFactory(territory=commune)
    return ProjectFactory(holders=[holder], communes=[commune], **kwargs)


@pytest.fixture
def projects(geography, taxonomy):
    docks = project_in(geography["saint-ouen"], name="Écoquartier des Docks", stage="operational")
    docks.operation_types.set([OperationType.objects.get(slug="reconversion-friche")])
    docks.themes.set([Theme.objects.get(slug="biodiversite")])
    village = project_in(geography["reillanne"], name="Dents creuses de Reillanne", stage="studies")
    village.operation_types.set([OperationType.objects.get(slug="densification")])
    return docks, village


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"Écoquartier des Docks", "Dents creuses de Reillanne"}),
        ({"q": "ecoquartier"}, {"Écoquartier des Docks"}),
        ({"q": "DENTS"}, {"Dents creuses de Reillanne"}),
        ({"territory": "region:11"}, {"Écoquartier des Docks"}),
        ({"territory": "departement:04"}, {"Dents creuses de Reillanne"}),
        ({"territory": "93070"}, {"Écoquartier des Docks"}),
        ({"territory": "commune:04160"}, {"Dents creuses de Reillanne"}),
        ({"stage": "operational"}, {"Écoquartier des Docks"}),
        ({"operation_type": "densification"}, {"Dents creuses de Reillanne"}),
        ({"theme": "biodiversite"}, {"Écoquartier des Docks"}),
        ({"territory": "region:93", "stage": "operational"}, set()),
    ],
)
def test_the_list_filters_combine(client, geography, projects, query, expected):
    params = {}
    for key, value in query.items():
        if key == "operation_type":
            value = OperationType.objects.get(slug=value).pk
        elif key == "theme":
            value = Theme.objects.get(slug=value).pk
        params[key] = value
    assert names(client.get(reverse("projects:list"), params)) == expected


def test_an_unknown_territory_is_reported_and_other_filters_still_apply(client, projects):
    response = client.get(reverse("projects:list"), {"territory": "99999", "stage": "studies"})
    assertContains(response, "Code inconnu : 99999.")
    assert names(response) == {"Dents creuses de Reillanne"}


def test_the_list_is_paginated(client, geography):
    for n in range(25):
        project_in(geography["saint-ouen"], name=f"Projet {n:02d}")
    first = client.get(reverse("projects:list"))
    assert len(first.context["page_obj"].object_list) == 20
    assertContains(first, "25 projets")
    assertContains(first, "fr-pagination")
    second = client.get(reverse("projects:list"), {"page": 2})
    assert len(second.context["page_obj"].object_list) == 5


def test_the_pagination_keeps_the_filters(client, geography):
    for n in range(25):
        project_in(geography["saint-ouen"], name=f"Projet {n:02d}", stage="studies")
    response = client.get(reverse("projects:list"), {"stage": "studies"})
    assertContains(response, "?stage=studies&amp;page=2")


def test_private_projects_are_listed_only_for_those_allowed(client, geography, holder):
    project_in(geography["saint-ouen"], name="Projet privé", is_public=False)
    assertNotContains(client.get(reverse("projects:list")), "Projet privé")


def test_the_create_button_shows_only_to_members_of_an_organisation(client, holder):
    assertNotContains(client.get(reverse("projects:list")), reverse("projects:create"))
    client.force_login(holder)
    assertContains(client.get(reverse("projects:list")), reverse("projects:create"))


def many_projects(geography, count):
    for n in range(count):
        project = project_in(geography["saint-ouen"], name=f"Projet {n}", is_public=n % 2 == 0)
        project.communes.add(geography["reillanne"])


@pytest.mark.parametrize("count", [5, 30])
def test_the_list_runs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, geography, referent, count
):
    many_projects(geography, count)
    client.force_login(referent)
    client.get(reverse("projects:list"))  # Warm the session and content type caches.
    with django_assert_max_num_queries(14):
        response = client.get(reverse("projects:list"), {"territory": "region:11"})
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == min(count, 20)


@pytest.mark.parametrize("count", [5, 30])
def test_the_detail_page_runs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, geography, holder, count
):
    from ecoquartier.core.activity import record

    project = project_in(geography["saint-ouen"], name="Docks")
    project.holders.add(holder.memberships.get().organisation)
    for n in range(count):
        project.communes.add(CommuneFactory(departement=geography["d93"]))
        record(holder, "project.noted", f"Note {n}", targets=[project])
    client.force_login(holder)
    client.get(project.get_absolute_url())
    with django_assert_max_num_queries(14):
        response = client.get(project.get_absolute_url())
    assert response.status_code == 200


def test_projects_are_created_with_the_fewest_fields(holder, town_hall, commune):
    from ecoquartier.projects.services import create_project

    project = create_project(
        holder, {"name": "Minimal", "holders": [town_hall], "communes": [commune]}
    )
    assert project.stage == Project.Stage.REFLECTION
    assert not project.is_public


def test_a_card_shows_stage_communes_and_holders_in_alphabetical_order(client, geography):
    project = project_in(
        geography["saint-ouen"], name="Les Docks", summary="Friche & quais", stage="operational"
    )
    project.communes.add(geography["reillanne"])
    project.holders.add(OrganisationFactory(name="Aménageur <SEM>"))
    response = client.get(reverse("projects:list"))
    html = response.content.decode()
    card = html[html.index("Les Docks") :]
    assertContains(response, f'<a href="{project.get_absolute_url()}">Les Docks</a>', html=True)
    assert "Friche &amp; quais" in card
    assert "Opérationnel / chantier" in card
    assert "Reillanne, Saint-Ouen-sur-Seine" in card
    holders = sorted(["Aménageur &lt;SEM&gt;", project.holders.order_by("pk").first().name])
    assert ", ".join(holders) in card
    assert "Fiche privée" not in card


def listed_count(client):
    return client.get(reverse("projects:list")).context["page_obj"].paginator.count


@pytest.mark.parametrize("role", ["visitor", "holder", "referent", "outsider"])
def test_the_unfiltered_count_equals_the_visible_projects_after_every_change(
    client, geography, town_hall, holder, referent, outsider, role
):
    """The unfiltered list's count (public projects counted once per generation, then the
    private ones the user may see) equals a fresh count of what they may see, as projects are
    created, made private or public, and deleted."""
    from ecoquartier.projects.permissions import visible_projects

    user = {"visitor": None, "holder": holder, "referent": referent, "outsider": outsider}[role]
    if user is not None:
        client.force_login(user)

    def expected():
        viewer = user if user is not None else AnonymousUser()
        return visible_projects(viewer).count()

    own = ProjectFactory(holders=[town_hall], communes=[town_hall.territory], is_public=False)
    elsewhere = project_in(geography["reillanne"], name="Ailleurs")
    assert listed_count(client) == expected()
    for change in (
        lambda: project_in(geography["saint-ouen"], name="Nouveau"),
        lambda: _set_public(elsewhere, False),
        lambda: _set_public(own, True),
        lambda: _set_public(own, False),
        lambda: Project.objects.get(pk=elsewhere.pk).delete(),
    ):
        change()
        assert listed_count(client) == expected()


def _set_public(project, value):
    project.refresh_from_db()
    project.is_public = value
    project.save()
