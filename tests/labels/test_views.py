"""Label pages: who sees what (404) and who may act (403), forms through the services, and
bounded queries."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ecoquartier.labels import services
from ecoquartier.labels.models import Charter, FileState, LabelStep
from ecoquartier.organisations.models import Membership
from tests.labels.factories import (
    apply,
    expertise_done,
    local_session,
    member,
    national_session,
    record_base_values,
    sign_and_acknowledge,
    signed_pdf,
    stage,
)
from tests.organisations.factories import OrganisationFactory
from tests.projects.factories import ProjectFactory


def url(name, *args):
    return reverse(f"labels:{name}", args=args)


def test_the_project_label_page_is_public_for_a_public_project(client, world):
    sign_and_acknowledge(world)
    response = client.get(url("project", world.project.slug))
    assert response.status_code == 200
    assert "ÉcoProjet" in response.content.decode()


def test_visitors_get_the_label_history_from_the_cache_and_every_change_at_once(
    client, world, django_assert_num_queries
):
    page = url("project", world.project.slug)
    assert "Aucune étape pour le moment." in client.get(page).content.decode()
    with django_assert_num_queries(2):  # the project (may they see it?), the generations
        client.get(page)
    sign_and_acknowledge(world)
    step = LabelStep.objects.select_related("stage").get(project=world.project)
    assert "ÉcoProjet" in client.get(page).content.decode()
    renamed = step.stage
    renamed.name = "ÉcoProjet (charte signée)"
    renamed.save()
    assert "ÉcoProjet (charte signée)" in client.get(page).content.decode()
    world.project.name = "Écoquartier des Docks de Saint-Ouen"
    world.project.save()
    assert "Écoquartier des Docks de Saint-Ouen" in client.get(page).content.decode()
    LabelStep.objects.filter(project=world.project).delete()
    assert "Aucune étape pour le moment." in client.get(page).content.decode()


def test_signed_in_people_see_their_actions_beside_the_cached_history(client, world):
    sign_and_acknowledge(world)
    page = url("project", world.project.slug)
    client.get(page)  # cached for visitors
    client.force_login(world.holder)
    html = client.get(page).content.decode()
    assert "ÉcoProjet" in html and "Voir la charte signée" in html


def test_a_private_project_label_page_is_hidden(client, referentiel):
    project = ProjectFactory(is_public=False)
    assert client.get(url("project", project.slug)).status_code == 404


def test_the_project_page_links_to_its_label_section(client, world):
    response = client.get(world.project.get_absolute_url())
    assert url("project", world.project.slug) in response.content.decode()


def test_the_holder_signs_the_charter_online(client, world):
    client.force_login(world.holder)
    response = client.post(
        url("sign_charter", world.project.slug),
        {
            "organisation": world.saint_ouen.pk, "text_version": "Charte ÉcoQuartier 2023",
            "signatory_name": "Karim Bouamrane", "signatory_office": "Maire",
            "deliberation_date": "2024-03-12", "document": signed_pdf(), "commitment": "on",
        },
    )  # fmt: skip
    charter = Charter.objects.get()
    assert response.status_code == 302 and response.url == charter.get_absolute_url()


def test_a_wrong_document_keeps_the_input_and_says_why(client, world):
    client.force_login(world.holder)
    response = client.post(
        url("sign_charter", world.project.slug),
        {
            "organisation": world.saint_ouen.pk, "text_version": "Charte ÉcoQuartier 2023",
            "signatory_name": "Karim Bouamrane", "signatory_office": "Maire",
            "deliberation_date": "2024-03-12", "commitment": "on",
            "document": signed_pdf("charte.docx", b"PK"),
        },
    )  # fmt: skip
    assert response.status_code == 400
    body = response.content.decode()
    assert "PDF, JPEG ou PNG" in body and "Karim Bouamrane" in body


def test_others_may_not_sign(client, world):
    client.force_login(world.referent)
    assert client.get(url("sign_charter", world.project.slug)).status_code == 403


def test_the_referent_acknowledges_and_the_holder_may_not(client, world):
    charter = services.sign_charter(
        world.holder, world.project, organisation=world.saint_ouen, text_version="v",
        signatory_name="K", signatory_office="Maire", deliberation_date=date(2024, 1, 1),
        document=signed_pdf(),
    )  # fmt: skip
    client.force_login(world.holder)
    assert client.post(url("charter", charter.pk)).status_code == 403
    client.force_login(world.referent)
    assert client.post(url("charter", charter.pk)).status_code == 302
    assert LabelStep.objects.filter(stage__code="ecoprojet").exists()
    client.force_login(world.experts[0])
    assert client.get(url("charter", charter.pk)).status_code == 404


def test_the_apply_form_is_prefilled_and_submits(client, world):
    sign_and_acknowledge(world)
    record_base_values(world)
    client.force_login(world.holder)
    response = client.get(url("apply", world.campaign.pk, world.project.slug))
    assert response.status_code == 200
    assert "indicateurs-TOTAL_FORMS" not in response.content.decode()
    data = {
        "organisation": world.saint_ouen.pk,
        "target_stage": stage("livre").pk,
        **{f"engagement-{n}": "Réponse" for n in range(1, 21)},
    }  # fmt: skip
    response = client.post(url("apply", world.campaign.pk, world.project.slug), data)
    assert response.status_code == 302
    assert world.project.label_files.get().state == FileState.SUBMITTED


def test_applying_without_indicators_is_refused_with_the_reason(client, world):
    sign_and_acknowledge(world)
    client.force_login(world.holder)
    data = {
        "organisation": world.saint_ouen.pk,
        "target_stage": stage("livre").pk,
        **{f"engagement-{n}": "Réponse" for n in range(1, 21)},
    }  # fmt: skip
    response = client.post(url("apply", world.campaign.pk, world.project.slug), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "fixez l&#x27;objectif et enregistrez au moins une mesure" in body
    assert "Réponse</textarea>" in body  # nothing typed is lost


@pytest.fixture
def file(world):
    sign_and_acknowledge(world)
    return apply(world)


def test_file_page_visibility(client, world, file):
    client.force_login(world.holder)
    assert client.get(url("file", file.pk)).status_code == 200
    client.force_login(member(OrganisationFactory(), Membership.Role.PROJECT_HOLDER))
    assert client.get(url("file", file.pk)).status_code == 404


def test_the_file_page_links_to_the_application_only_for_those_who_may_open_it(client, world, file):
    file = services.assign_experts(
        world.manager, file, coordinator=world.experts[0], second=world.experts[1]
    )
    application = file.application.get_absolute_url()
    client.force_login(world.experts[0])
    assert application not in client.get(url("file", file.pk)).content.decode()
    assert client.get(application).status_code == 404
    client.force_login(world.holder)
    assert application in client.get(url("file", file.pk)).content.decode()


def test_assigning_a_conflicting_expert_shows_the_french_refusal(client, world, file):
    insider = member(world.ud93, Membership.Role.EXPERT, first_name="Marc", last_name="Roy")
    client.force_login(world.manager)
    response = client.post(
        url("assign_experts", file.pk), {"coordinator": insider.pk, "second": world.experts[0].pk}
    )
    assert response.status_code == 400
    assert "service de l&#x27;État du territoire du projet" in response.content.decode()


def test_only_managers_assign_experts(client, world, file):
    client.force_login(world.holder)
    response = client.post(
        url("assign_experts", file.pk),
        {"coordinator": world.experts[0].pk, "second": world.experts[1].pk},
    )
    assert response.status_code == 403


def test_commissions_through_the_pages(client, world, file):
    file = expertise_done(world, file)
    session = local_session(world)
    client.force_login(world.referent)
    response = client.post(
        url("deliberate", session.pk, file.pk),
        {f"d{file.pk}-outcome": "propose", f"d{file.pk}-motivation": "Dossier solide."},
    )
    assert response.status_code == 302
    national = national_session(world)
    client.force_login(world.referent)
    assert client.get(url("session", national.pk)).status_code == 404
    client.force_login(world.manager)
    response = client.post(
        url("deliberate", national.pk, file.pk),
        {f"d{file.pk}-outcome": "award", f"d{file.pk}-motivation": "Exemplaire."},
    )
    assert response.status_code == 302
    step = LabelStep.objects.get(stage__code="livre")
    response = client.get(url("certificate", step.pk))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    client.logout()
    page = client.get(world.project.get_absolute_url()).content.decode()
    assert f"ÉcoQuartier Livré » ({world.campaign.year})" in page


def test_the_campaign_dashboard_is_for_managers_and_state_services(client, world, file):
    # The campaign is a published call: its dashboard is refused (it was 404).
    client.force_login(world.holder)
    assert client.get(url("campaign", world.campaign.pk)).status_code == 403
    client.force_login(world.referent)
    assert client.get(url("campaign", world.campaign.pk)).status_code == 200
    client.force_login(world.manager)
    response = client.get(url("campaign", world.campaign.pk))
    assert response.status_code == 200
    assert response.context["total"]["files"] == 1


def test_a_draft_campaign_is_404_but_to_its_managers(client, world):
    from ecoquartier.calls.models import Call

    Call.objects.filter(pk=world.campaign.call_id).update(state=Call.State.DRAFT)
    sign_and_acknowledge(world)
    for user in (world.referent, world.holder):
        client.force_login(user)
        assert client.get(url("campaign", world.campaign.pk)).status_code == 404
    apply_url = url("apply", world.campaign.pk, world.project.slug)
    assert client.get(apply_url).status_code == 404
    client.force_login(world.manager)
    assert client.get(url("campaign", world.campaign.pk)).status_code == 200


def _queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_the_campaign_dashboard_is_bounded_in_queries(client, world, file):
    client.force_login(world.manager)
    before = _queries(client, url("campaign", world.campaign.pk))
    other = ProjectFactory(holders=[world.saint_ouen], name="Autre", slug="autre")
    services.sign_charter(
        world.holder, other, organisation=world.saint_ouen, text_version="v", signatory_name="K",
        signatory_office="Maire", deliberation_date=date(2024, 1, 1), document=signed_pdf(),
    )  # fmt: skip
    Charter.objects.filter(project=other).update(acknowledged_at="2024-01-02T00:00Z")
    apply(world, project=other)
    assert _queries(client, url("campaign", world.campaign.pk)) == before


def test_the_use_phase_evaluation_page_is_for_the_project_people(client, world):
    from ecoquartier.labels.models import UsePhaseEvaluation
    from ecoquartier.labels.tasks import send_use_phase_reminders

    sign_and_acknowledge(world)
    services.record_past_step(
        world.manager, world.project, stage("livre"), decided_on=date(2020, 1, 10),
        deciding_body="Commission nationale ÉcoQuartier", reference="CN",
    )  # fmt: skip
    send_use_phase_reminders.call()
    evaluation = UsePhaseEvaluation.objects.get()
    client.force_login(member(OrganisationFactory(), Membership.Role.PROJECT_HOLDER))
    assert client.get(evaluation.get_absolute_url()).status_code == 404
    client.force_login(world.referent)
    assert client.get(evaluation.get_absolute_url()).status_code == 200
    assert client.post(evaluation.get_absolute_url(), {"key_events": "x"}).status_code == 403
    client.force_login(world.holder)
    response = client.post(evaluation.get_absolute_url(), {"key_events": "Ouverture du parc"})
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.key_events == "Ouverture du parc"


def test_a_manager_of_another_region_gets_404_on_a_use_phase_evaluation(client, world):
    """Finding 2 on the label pages: the PACA manager read and could edit the use-phase
    evaluation of a project of Île-de-France."""
    from ecoquartier.labels.models import UsePhaseEvaluation
    from ecoquartier.labels.tasks import send_use_phase_reminders
    from tests.organisations.factories import DrealFactory

    sign_and_acknowledge(world)
    services.record_past_step(
        world.manager, world.project, stage("livre"), decided_on=date(2020, 1, 10),
        deciding_body="Commission nationale ÉcoQuartier", reference="CN",
    )  # fmt: skip
    send_use_phase_reminders.call()
    evaluation = UsePhaseEvaluation.objects.get()
    client.force_login(member(DrealFactory(), Membership.Role.PROGRAMME_MANAGER))
    assert client.get(evaluation.get_absolute_url()).status_code == 404
    assert client.post(evaluation.get_absolute_url(), {"key_events": "x"}).status_code == 404
    evaluation.refresh_from_db()
    assert evaluation.key_events == ""
    assessment_url = reverse("assessments:detail", args=[evaluation.assessment_id])
    assert client.get(assessment_url).status_code == 404


def test_the_label_home_and_key_figures_are_public(client, world):
    assert client.get(url("index")).status_code == 200
    assert client.get(url("key_figures")).status_code == 200


def _another_file(world, n):
    project = ProjectFactory(holders=[world.saint_ouen], name=f"Quartier {n}", slug=f"quartier-{n}")
    sign_and_acknowledge(world, project=project)
    return expertise_done(world, apply(world, project=project))


def test_the_session_page_is_bounded_in_queries(client, world, file):
    expertise_done(world, file)
    session = local_session(world)
    client.force_login(world.referent)
    before = _queries(client, url("session", session.pk))
    services.deliberate(world.referent, session, _another_file(world, 1), outcome="propose",
                        motivation="Oui.")  # fmt: skip
    _another_file(world, 2)
    assert _queries(client, url("session", session.pk)) == before
