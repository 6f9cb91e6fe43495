"""An application led by a State service (or any organisation) names the project of a
co-applicant organisation; laureate lists and exports name every co-applicant (issue 13,
item 11)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from ecoquartier.applications import exports, reads, services
from ecoquartier.applications.models import Application, State
from ecoquartier.core.activity import timeline
from ecoquartier.organisations.models import Membership
from tests.applications.factories import member
from tests.organisations.factories import OrganisationFactory
from tests.projects.factories import ProjectFactory


@pytest.fixture
def led_by_ddt(world):
    """The DDT applies and invites the commune's holder, who joins."""
    application = services.start_application(world.referent, world.call, world.ddt)
    co = services.invite_co_applicant(world.referent, application, world.holder.email, "edit")
    services.accept_invitation(world.holder, services.invitation_token(co))
    return application


def test_a_ddt_led_application_names_the_co_applicants_project(world, led_by_ddt):
    assert world.project in reads.attachable_projects(led_by_ddt)
    services.attach_project(world.referent, led_by_ddt, world.project)
    led_by_ddt.refresh_from_db()
    assert led_by_ddt.project == world.project
    data = led_by_ddt.answers.get().data
    assert data["project"] == str(world.project.pk)  # and what the project says, prefilled
    assert any(e.verb == "application.project_attached" for e in timeline(led_by_ddt))


def test_a_project_of_an_organisation_not_on_the_file_is_refused(world, led_by_ddt):
    stranger = ProjectFactory(holders=[OrganisationFactory()])
    with pytest.raises(ValidationError):
        services.attach_project(world.referent, led_by_ddt, stranger)
    led_by_ddt.refresh_from_db()
    assert led_by_ddt.project is None


def test_an_invitation_not_accepted_gives_no_project(world):
    application = services.start_application(world.referent, world.call, world.ddt)
    services.invite_co_applicant(world.referent, application, world.holder.email, "edit")
    assert world.project not in reads.attachable_projects(application)


def test_only_an_editor_of_the_file_attaches_a_project(world, led_by_ddt):
    with pytest.raises(PermissionDenied):
        services.attach_project(world.outsider, led_by_ddt, world.project)


def test_the_page_offers_the_co_applicants_project_by_name(client, world, led_by_ddt):
    client.force_login(world.referent)
    html = client.get(reverse("applications:detail", args=[led_by_ddt.pk])).content.decode()
    assert f'<option value="{world.project.pk}">{world.project.name}</option>' in html
    response = client.post(
        reverse("applications:attach_project", args=[led_by_ddt.pk]),
        {"project": world.project.pk},
    )
    assert response.status_code == 302
    assert Application.objects.get(pk=led_by_ddt.pk).project == world.project


def test_laureate_lists_and_exports_name_every_co_applicant(client, world, led_by_ddt):
    other = OrganisationFactory(name="Communauté de communes Haute-Provence")
    co_member = member(other, Membership.Role.PROJECT_HOLDER)
    co = services.invite_co_applicant(world.referent, led_by_ddt, co_member.email, "read")
    services.accept_invitation(co_member, services.invitation_token(co))
    services.attach_project(world.referent, led_by_ddt, world.project)
    Application.objects.filter(pk=led_by_ddt.pk).update(state=State.SELECTED)

    [laureate] = reads.laureates(world.call)
    assert {p.organisation.name for p in laureate.partners} == {
        "Commune de Reillanne",
        "Communauté de communes Haute-Provence",
    }
    html = client.get(reverse("applications:laureates", args=[world.call.slug])).content.decode()
    assert "DDT des Alpes-de-Haute-Provence, avec " in html
    assert "Commune de Reillanne" in html and "Communauté de communes Haute-Provence" in html

    header, row = list(exports.application_rows(world.call, Application.objects.all()))
    cells = dict(zip(header, row, strict=True))
    assert set(cells["Co-candidats"].split(", ")) == {
        "Commune de Reillanne",
        "Communauté de communes Haute-Provence",
    }
    assert cells["Projet concerné"] == world.project.name  # named, never a key


def test_the_laureates_page_costs_the_same_queries_whatever_the_co_applicants(
    client, world, led_by_ddt, django_assert_max_num_queries
):
    Application.objects.filter(pk=led_by_ddt.pk).update(state=State.SELECTED)
    url = reverse("applications:laureates", args=[world.call.slug])
    client.get(url)
    with django_assert_max_num_queries(40) as one:
        client.get(url)
    for i in range(3):
        someone = member(OrganisationFactory(name=f"Partenaire {i}"))
        co = services.invite_co_applicant(world.referent, led_by_ddt, someone.email, "read")
        services.accept_invitation(someone, services.invitation_token(co))
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(url).content.decode().count("Partenaire") == 3
