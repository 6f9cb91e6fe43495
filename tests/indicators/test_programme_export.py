"""A programme's indicator values as CSV and XLSX (issue 15, deliverable 6): its managers only,
the values of its laureates and followed projects, restricted ones only for a manager who reads
them, in a number of queries that does not grow with the projects."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ecoquartier.applications.models import Application, State
from ecoquartier.calls.permissions import can_manage_programme
from ecoquartier.indicators import loader, programmes
from ecoquartier.indicators.models import IndicatorValue
from ecoquartier.organisations.models import Membership
from tests.accounts.factories import UserFactory
from tests.calls.factories import ProgrammeFactory, build_geography
from tests.followup.factories import build_support
from tests.organisations.factories import MembershipFactory
from tests.projects.factories import ProjectFactory
from tests.referentiel.factories import load_current

pytestmark = pytest.mark.django_db
SHARE = "CC-04"


def measure(project, indicator, value, **fields):
    return IndicatorValue.objects.create(
        project=project, indicator=indicator, kind="measurement", value=value,
        date=datetime.date(2024, 6, 1), **fields,
    )  # fmt: skip


def laureate(application, project):
    """Another laureate of the same call: a copy of the selected application for `project`."""
    copy = Application.objects.get(pk=application.pk)
    copy.pk, copy.project = None, project
    copy.save()
    return copy


@pytest.fixture
def scene(db):
    """The PACA programme of tests/followup (Reillanne's project selected and followed), values
    for that project — one restricted — a refused applicant's and a stranger's."""
    support = build_support(build_geography())
    load_current()
    share = loader.load(loader.DATA_DIR / "2023.yaml").indicator_set.indicators.get(code=SHARE)
    project = support.world.project
    measure(project, share, 31, source="SOURCE-PUBLIQUE")
    measure(project, share, 32, visibility="restricted", comment="MARQUE-RESTREINTE")
    refused = ProjectFactory(name="Projet non retenu")
    copy = laureate(support.application, refused)
    Application.objects.filter(pk=copy.pk).update(state=State.NOT_SELECTED)
    measure(refused, share, 77)
    measure(ProjectFactory(name="Projet sans lien"), share, 88)
    # A programme manager who is also a State service overseeing Reillanne (DDT 04).
    overseer = UserFactory()
    programme = support.world.call.programme
    for organisation in (programme.owner, support.world.ddt):
        MembershipFactory(
            user=overseer, organisation=organisation, role=Membership.Role.PROGRAMME_MANAGER
        )
    return {"support": support, "programme": programme, "share": share, "overseer": overseer}


def url(programme, fmt="csv"):
    return reverse(f"indicators:programme_{fmt}", args=[programme.slug])


def csv_rows(response):
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    return list(csv.reader(io.StringIO(content[1:]), delimiter=";"))


def test_a_manager_gets_the_public_values_of_the_programme_projects_only(client, scene):
    client.force_login(scene["support"].manager)
    response = client.get(url(scene["programme"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    header, *rows = csv_rows(response)
    assert header[:4] == ["Projet", "Identifiant du projet", "Code", "Indicateur"]
    assert [(row[0], row[2], row[8]) for row in rows] == [
        ("Écoquartier des Aires", SHARE, "31.0000")
    ]
    text = response.content.decode()
    assert "MARQUE-RESTREINTE" not in text and "non retenu" not in text and "sans lien" not in text


def test_a_manager_overseeing_the_project_also_gets_its_restricted_values(client, scene):
    client.force_login(scene["overseer"])
    _header, *rows = csv_rows(client.get(url(scene["programme"])))
    assert sorted(row[8] for row in rows) == ["31.0000", "32.0000"]
    assert any(row[-1].startswith("Réservée") for row in rows)


def test_the_xlsx_has_the_same_rows(client, scene):
    client.force_login(scene["overseer"])
    response = client.get(url(scene["programme"], "xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Projet", "Identifiant du projet", "Code")
    assert sorted(float(row[8]) for row in rows[1:]) == [31.0, 32.0]


def test_someone_who_does_not_manage_the_programme_is_refused(client, scene):
    support = scene["support"]
    for user in (support.holder, support.referent, support.outsider):
        client.force_login(user)
        assert client.get(url(scene["programme"])).status_code == 403
    client.logout()
    assert client.get(url(scene["programme"])).status_code == 302  # to the login page


def test_an_unknown_programme_is_not_found(client, scene):
    client.force_login(scene["support"].manager)
    missing = reverse("indicators:programme_csv", args=["nulle-part"])
    assert client.get(missing).status_code == 404


def test_the_managers_are_those_of_the_calls_app(scene):
    support = scene["support"]
    other = ProgrammeFactory()
    people = [support.manager, support.holder, support.referent, support.outsider,
              scene["overseer"], UserFactory(is_superuser=True)]  # fmt: skip
    for programme in (scene["programme"], other):
        for user in people:
            assert programmes.manages(user, programme) == can_manage_programme(user, programme)


def test_the_export_is_bounded_in_queries(client, scene, django_assert_max_num_queries):
    client.force_login(scene["overseer"])
    client.get(url(scene["programme"]))
    with django_assert_max_num_queries(12):
        client.get(url(scene["programme"]))
    for n in range(6):
        project = ProjectFactory(name=f"Lauréat {n}")
        laureate(scene["support"].application, project)
        measure(project, scene["share"], n, visibility="restricted" if n % 2 else "public")
    with django_assert_max_num_queries(12):
        _header, *rows = csv_rows(client.get(url(scene["programme"])))
    assert len(rows) == 2 + 3  # Reillanne's two, and the public half of the new laureates'


def test_the_programme_page_links_to_the_export_for_its_managers(client, scene):
    page = scene["programme"].get_absolute_url()
    client.force_login(scene["support"].manager)
    assert url(scene["programme"], "xlsx") in client.get(page).content.decode()
    client.force_login(scene["support"].holder)
    assert url(scene["programme"], "xlsx") not in client.get(page).content.decode()
