"""An application made for a project starts with what the project record already says — the
project, its commune, the commune's population, its stage, its key figures — as answers the
applicant may change; the organisation and the project are preselected; the project is named,
never shown as a key (issue 13, item 3)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ecoquartier.applications import prefill, services
from ecoquartier.applications.forms import StartForm
from ecoquartier.projects.models import Project
from tests.applications.factories import INTENTION_ANSWERS
from tests.organisations.factories import MembershipFactory, OrganisationFactory
from tests.projects.factories import ProjectFactory


@pytest.fixture
def project(world, geo):
    Project.objects.filter(pk=world.project.pk).update(
        stage=Project.Stage.OPERATIONAL, dwellings=120, area_ha=Decimal("4.5")
    )
    world.project.refresh_from_db()
    world.project.communes.set([geo.reillanne])
    return world.project


def test_the_intention_note_starts_with_what_the_project_says(world, project):
    application = services.start_application(world.holder, world.call, world.commune, project)
    data = application.answers.get().data
    assert data["project"] == str(project.pk)
    assert data["perimeter"] == "commune:04160"
    assert data["population"] == "1730"
    assert data["stage"] == "Opérationnel / chantier"
    assert data["summary"] == project.summary


def test_the_full_file_starts_with_the_key_figures(world, project):
    specs = services.current_form(world.full_file).ordered_fields()
    data = prefill.answers_from_project(project, specs)
    assert data["dwellings"] == "120" and data["area_ha"] == "4.50"
    assert "deliberation" not in data  # files are never prefilled


def test_prefilled_answers_stay_editable(world, project):
    application = services.start_application(world.holder, world.call, world.commune, project)
    services.save_answers(world.holder, application, {**INTENTION_ANSWERS, "population": "1800"})
    assert application.answers.get().data["population"] == "1800"


def test_without_a_project_nothing_is_prefilled(world):
    application = services.start_application(world.holder, world.call, world.commune)
    assert application.answers.get().data == {}


def test_a_project_of_another_organisation_is_refused(world):
    other = ProjectFactory(holders=[OrganisationFactory()])
    with pytest.raises(ValidationError):
        services.start_application(world.holder, world.call, world.commune, other)


def test_the_start_form_preselects_the_organisation_and_its_only_project(world):
    form = StartForm(user=world.holder)
    assert form.initial == {"organisation": world.commune.pk, "project": world.project.pk}
    assert form.fields["organisation"].empty_label is None  # one organisation: no empty choice


def test_the_start_form_takes_the_call_pages_choices(world):
    second = OrganisationFactory(name="Aménageur")
    MembershipFactory(user=world.holder, organisation=second)
    theirs = ProjectFactory(holders=[second], name="ZAC des Prés")
    form = StartForm(user=world.holder, wanted={"pour": second.pk, "projet": theirs.pk})
    assert form.initial == {"organisation": second.pk, "project": theirs.pk}


def test_the_start_page_names_the_project(client, world):
    client.force_login(world.holder)
    html = client.get(reverse("applications:start", args=[world.call.slug])).content.decode()
    assert f'<option value="{world.project.pk}" selected>{world.project.name}</option>' in html


def test_the_application_page_names_the_project_and_the_commune(client, world, project):
    application = services.start_application(world.holder, world.call, world.commune, project)
    client.force_login(world.holder)
    html = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert project.name in html and "Reillanne (04160)" in html
    assert "commune:04160" not in html
