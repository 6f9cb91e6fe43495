import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from ecoquartier.core.activity import timeline
from ecoquartier.projects.models import Project
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(town_hall):
    return ProjectFactory(name="Écoquartier des Docks", slug="docks", holders=[town_hall])


@pytest.fixture
def private_project(town_hall):
    return ProjectFactory(
        name="Projet confidentiel", slug="secret", holders=[town_hall], is_public=False
    )


def form_data(project, **overrides):
    data = {
        "version": project.version,
        "name": project.name,
        "summary": project.summary,
        "holders": [h.pk for h in project.holders.all()],
        "communes": ", ".join(c.code for c in project.communes.all()),
        "stage": project.stage,
        "latitude": "",
        "longitude": "",
    }
    return {**data, **overrides}


def test_a_visitor_sees_a_public_project(client, project):
    response = client.get(reverse("projects:detail", args=["docks"]))
    assertContains(response, "Écoquartier des Docks")
    assertContains(response, "Saint-Ouen-sur-Seine")
    assertNotContains(response, reverse("projects:edit", args=["docks"]))


@pytest.mark.parametrize("who", ["visitor", "outsider", "other_referent"])
def test_a_private_project_does_not_exist_for_those_not_allowed(
    client, request, private_project, who
):
    if who != "visitor":
        client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("projects:detail", args=["secret"])).status_code == 404
    assert client.get(reverse("projects:timeline", args=["secret"])).status_code == 404
    assert "Projet confidentiel" not in client.get(reverse("projects:list")).content.decode()


def test_the_state_referent_of_the_territory_sees_a_private_project(
    client, referent, private_project
):
    client.force_login(referent)
    assertContains(client.get(reverse("projects:detail", args=["secret"])), "Projet confidentiel")
    assertContains(client.get(reverse("projects:list")), "Projet confidentiel")
    assert client.get(reverse("projects:edit", args=["secret"])).status_code == 403


def test_a_member_of_another_organisation_may_not_edit(client, outsider, project):
    client.force_login(outsider)
    url = reverse("projects:edit", args=["docks"])
    assert client.get(url).status_code == 403
    assert client.post(url, form_data(project, name="Pirate")).status_code == 403
    project.refresh_from_db()
    assert project.name == "Écoquartier des Docks"


def test_editing_requires_login(client, project):
    response = client.get(reverse("projects:edit", args=["docks"]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_a_holder_creates_a_project_and_sees_it_on_its_timeline(
    client, holder, town_hall, commune, taxonomy
):
    client.force_login(holder)
    assertContains(client.get(reverse("projects:create")), "Commune de Saint-Ouen-sur-Seine")
    response = client.post(
        reverse("projects:create"),
        {
            "name": "Jardin partagé des Docks",
            "holders": [town_hall.pk],
            "communes": "93070",
            "latitude": "48,9118",
            "longitude": "2.3325",
            "stage": "operational",
            "dwellings": "10",
            "social_dwellings": "4",
            "is_public": "on",
        },
    )
    project = Project.objects.get()
    assert response.status_code == 302
    assert response.url == project.get_absolute_url()
    assert str(project.latitude) == "48.911800"
    page = client.get(response.url)
    assertContains(page, "Création du projet « Jardin partagé des Docks »")
    assertContains(page, "Le projet « Jardin partagé des Docks » a été créé.")


def test_bad_input_gets_clear_french_messages(client, holder, town_hall, taxonomy):
    client.force_login(holder)
    response = client.post(
        reverse("projects:create"),
        {
            "name": "Projet",
            "holders": [town_hall.pk],
            "communes": "99999",
            "latitude": "123",
            "longitude": "",
            "stage": "studies",
            "dwellings": "10",
            "social_dwellings": "40",
        },
    )
    assert response.status_code == 200
    assertContains(response, "Code inconnu : 99999.")
    assertContains(response, "Saisissez un nombre entre -90 et 90 degrés")
    assertContains(
        response,
        "Le nombre de logements sociaux (40) ne peut pas dépasser le nombre de logements (10).",
    )
    assertContains(response, 'value="Projet"')
    assert not Project.objects.exists()


def test_a_user_without_organisation_is_told_how_to_create_a_project(client, outsider):
    outsider.memberships.all().delete()
    client.force_login(outsider)
    assertContains(client.get(reverse("projects:create")), "Rattachez-vous", status_code=403)


def test_an_edit_logs_the_change_and_shows_on_the_timeline(client, holder, project):
    client.force_login(holder)
    response = client.post(
        reverse("projects:edit", args=["docks"]), form_data(project, name="Les Docks")
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.name == "Les Docks"
    assert project.version == 2
    page = client.get(project.get_absolute_url())
    assertContains(page, "Nom du projet : Écoquartier des Docks → Les Docks")


def test_a_stale_edit_is_refused_and_the_input_is_kept(client, holder, project):
    client.force_login(holder)
    url = reverse("projects:edit", args=["docks"])
    client.post(url, form_data(project, name="Saved by a colleague"))

    response = client.post(url, form_data(project, name="My late edit", version=1))

    assert response.status_code == 409
    assertContains(response, "modifié par une autre personne", status_code=409)
    assertContains(response, 'value="My late edit"', status_code=409)
    assertContains(response, "Nom du projet : Saved by a colleague", status_code=409)
    # The form now carries the saved version: submitting again is a deliberate overwrite.
    assertContains(response, 'name="version" value="2"', status_code=409)
    project.refresh_from_db()
    assert project.name == "Saved by a colleague"


def test_the_detail_page_shows_the_latest_events_and_links_to_the_full_timeline(
    client, holder, project
):
    from ecoquartier.core.activity import record

    for n in range(12):
        record(holder, "project.noted", f"Note {n}", targets=[project])
    page = client.get(project.get_absolute_url())
    assertContains(page, "Note 11")
    assertNotContains(page, "Note 1<")
    assertContains(page, reverse("projects:timeline", args=["docks"]))
    full = client.get(reverse("projects:timeline", args=["docks"]))
    assertContains(full, "Note 0")
    assert timeline(project).count() == 12


def test_registered_project_sections_are_linked(client, project, monkeypatch):
    from ecoquartier.core import extensions

    monkeypatch.setattr(extensions, "_project_sections", {})
    extensions.register_project_section("Évaluations", "projects:timeline", order=10)
    assertContains(client.get(project.get_absolute_url()), "Évaluations")


def test_visitors_see_the_record_history_but_not_other_apps_events(client, holder, project):
    from ecoquartier.core.activity import record

    record(holder, "project.updated", "Modification publique", targets=[project])
    record(holder, "applications.scored", "Note du jury : 4/5", targets=[project])
    visitor_page = client.get(project.get_absolute_url())
    assertContains(visitor_page, "Modification publique")
    assertNotContains(visitor_page, "Note du jury")
    client.force_login(holder)
    assertContains(client.get(project.get_absolute_url()), "Note du jury")


def test_the_map_appears_only_when_tiles_are_configured(client, holder, project, settings):
    project.latitude, project.longitude = 48.905, 2.329
    project.save()
    client.force_login(holder)
    edit_url = reverse("projects:edit", args=["docks"])
    for url in (project.get_absolute_url(), edit_url):
        assertNotContains(client.get(url), "data-project-map")
        assertNotContains(client.get(url), "leaflet.js")
    settings.MAP_TILES_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    for url in (project.get_absolute_url(), edit_url):
        response = client.get(url)
        assertContains(response, 'data-tiles-url="https://tiles.example.org/{z}/{x}/{y}.png"')
        assertContains(response, "vendor/leaflet/leaflet.js")
    assertContains(client.get(project.get_absolute_url()), "latitude 48,905, longitude 2,329")


def test_a_holder_must_keep_one_of_their_organisations(client, holder, project, outsider):
    client.force_login(holder)
    their_org = outsider.memberships.get().organisation
    response = client.post(
        reverse("projects:edit", args=["docks"]),
        form_data(project, holders=[], other_holders=[their_org.pk]),
    )
    assertContains(response, "Gardez au moins une de vos organisations")
    assert list(project.holders.all()) != [their_org]


def test_the_detail_page_lists_the_project_taxonomy_by_kind(client, project, taxonomy):
    from ecoquartier.projects.models import OperationType, Theme

    project.operation_types.set([OperationType.objects.get(slug="reconversion-friche")])
    project.themes.set(Theme.objects.filter(kind=Theme.Kind.THEME)[:2])
    html = client.get(project.get_absolute_url()).content.decode()
    nature = html[html.index('<h3 class="fr-h6">') : html.index('id="timeline"')]
    types_part, themes_part, hooks_part = nature.split('<h3 class="fr-h6">')[1:4]
    assert '<p class="fr-tag">Reconversion de friche</p>' in types_part
    assert themes_part.count('class="fr-tag"') == 2
    assert "Non renseigné" in hooks_part


HUGE = str(10**26)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("latitude", HUGE, "Saisissez un nombre entre -90 et 90 degrés"),
        ("latitude", "1e309", "Saisissez un nombre entre -90 et 90 degrés"),
        ("longitude", "-1e309", "Saisissez un nombre entre -180 et 180 degrés"),
        ("longitude", "inf", "Saisissez un nombre entre -180 et 180 degrés"),
        ("latitude", "nan", "Saisissez un nombre entre -90 et 90 degrés"),
        ("themes", [HUGE], "Sélectionnez un choix valide"),
        ("operation_types", [HUGE, "1"], "Sélectionnez un choix valide"),
        ("other_holders", [str(2**63)], "Sélectionnez un choix valide"),
        ("holders", [HUGE], "Sélectionnez un choix valide"),
        ("communes", "93070\x00", "Le caractère nul n’est pas autorisé."),
        ("dwellings", HUGE, "Assurez-vous que cette valeur est inférieure ou égale à"),
    ],
)
def test_hostile_values_get_a_french_message_beside_the_field(
    client, holder, project, taxonomy, field, value, message
):
    client.force_login(holder)
    response = client.post(
        reverse("projects:edit", args=["docks"]),
        form_data(project, **{"latitude": "48.9", "longitude": "2.3", field: value}),
    )
    assert response.status_code == 200
    assertContains(response, message)
    project.refresh_from_db()
    assert project.version == 1
