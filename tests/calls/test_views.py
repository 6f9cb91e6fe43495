"""The finder, call pages and the call editor over HTTP."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from ecoquartier.calls.models import Call, CallStep
from ecoquartier.core.activity import timeline
from ecoquartier.organisations.models import Membership, Organisation
from tests.accounts.factories import UserFactory
from tests.calls.factories import (
    CallFactory,
    ProgrammeFactory,
    SearchAlertFactory,
    ThemeFactory,
    paris,
)
from tests.organisations.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

FINDER = reverse("calls:finder")


@pytest.fixture
def manager(geo):
    dreal = OrganisationFactory(kind=Organisation.Kind.DREAL, territory=geo.paca, name="DREAL")
    membership = MembershipFactory(organisation=dreal, role=Membership.Role.PROGRAMME_MANAGER)
    return membership.user


@pytest.fixture
def programme(manager):
    return ProgrammeFactory(owner=manager.memberships.get().organisation, name="Quartiers durables")


@pytest.fixture
def holder(geo):
    town = OrganisationFactory(territory=geo.sainte_tulle, name="Commune de Sainte-Tulle")
    return MembershipFactory(organisation=town).user


# --- Finder -----------------------------------------------------------------------------------


def test_the_finder_is_public_and_shareable(client, geo):
    CallFactory(title="AMI PACA", perimeter=geo.paca)
    CallFactory(title="Appel breton", perimeter=geo.bretagne)
    response = client.get(FINDER, {"territoire": "commune:04160"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "AMI PACA" in html and "Appel breton" not in html
    assert "Périmètre : Provence-Alpes-Côte d&#x27;Azur, qui comprend Reillanne" in html
    assert 'value="territoire=commune%3A04160"' in html  # the search the alert form saves


def test_the_finder_explains_bad_filters_in_french(client):
    response = client.get(FINDER, {"avant": "demain"})
    assert "Saisissez une date, par exemple 31/12/2026." in response.content.decode()


def test_the_theme_filter_lists_the_current_themes_and_refuses_unknown_ones(client):
    ThemeFactory(slug="friches", label="Friches")
    assert '<option value="friches">Friches</option>' in client.get(FINDER).content.decode()
    ThemeFactory(slug="eau", label="Eau")  # saving a theme refreshes the cached choices
    assert '<option value="eau">Eau</option>' in client.get(FINDER).content.decode()
    html = client.get(FINDER, {"thematique": "inconnue"}).content.decode()
    assert "Ce choix ne fait pas partie de ceux disponibles." in html


def test_the_finder_runs_a_bounded_number_of_queries(
    client, geo, holder, django_assert_max_num_queries
):
    for n in range(25):
        CallFactory(title=f"Appel {n}", perimeter=geo.paca, population_max=3000)
    client.force_login(holder)
    with django_assert_max_num_queries(20) as few:
        client.get(FINDER, {"territoire": "commune:04160", "q": "appel"})
    CallFactory.create_batch(30, perimeter=geo.paca)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(FINDER, {"territoire": "commune:04160", "q": "appel", "page": 2})
    assert "Non éligible : population 3" in response.content.decode()


def test_a_card_shows_the_next_step_and_the_opening_of_an_upcoming_call(client):
    call = CallFactory(title="AMI à venir", deadline=paris(2031, 3, 4, 12, 5))
    CallStep.objects.create(call=call, kind=CallStep.Kind.INTENTION, deadline=paris(2031, 1, 8))
    Call.objects.filter(pk=call.pk).update(opens_at=paris(2030, 12, 1, 9, 0))
    html = client.get(FINDER).content.decode()
    assert 'data-status="upcoming">À venir</p>' in html
    assert "Date limite : <strong>4 mars 2031 à 12 h 05</strong>" in html
    assert "Prochaine étape : Note d&#x27;intention le 8 janvier 2031" in html
    assert "Ouverture le 1er décembre 2030 à 9 h 00" in html


def test_the_programme_page_lists_its_published_calls_as_cards(client, programme):
    CallFactory(programme=programme, title="AMI publié", deadline=False)
    CallFactory(programme=programme, title="Brouillon", state=Call.State.DRAFT)
    html = client.get(programme.get_absolute_url()).content.decode()
    assert "AMI publié" in html and "Brouillon" not in html
    assert "Sans date limite" in html


# --- Call page --------------------------------------------------------------------------------


def test_an_open_call_page_has_no_notice(client):
    call = CallFactory(presentation="Un **appel** ouvert.\n\n- un\n- deux")
    html = client.get(call.get_absolute_url()).content.decode()
    assert "n’est plus disponible" not in html
    assert "<strong>appel</strong>" in html and "<li>un</li>" in html


def test_the_call_page_names_its_steps(client):
    call = CallFactory(deadline=timezone.now() + timedelta(days=60))
    CallStep.objects.create(
        call=call, kind=CallStep.Kind.INTENTION, deadline=timezone.now() + timedelta(days=20)
    )
    CallStep.objects.create(
        call=call, kind=CallStep.Kind.OTHER, label="Audition", deadline=timezone.now()
    )
    html = client.get(call.get_absolute_url()).content.decode()
    assert "Prochaine étape : Note d&#x27;intention le" in html
    assert "<li><strong>Audition</strong> :" in html
    assert "<li><strong>Dossier de candidature</strong> :" in html


def test_a_closed_call_stays_readable_with_a_notice(client):
    call = CallFactory(deadline=timezone.now() - timedelta(days=3))
    html = client.get(call.get_absolute_url()).content.decode()
    assert "Attention ! Cette aide n’est plus disponible." in html
    assert "Les candidatures sont closes depuis le" in html
    assert "Cette page restera accessible pour archivage." in html


def test_markdown_is_sanitised(client):
    call = CallFactory(presentation='<script>alert(1)</script> <a href="javascript:x">lien</a>')
    html = client.get(call.get_absolute_url()).content.decode()
    assert "<script>alert" not in html and "javascript:" not in html


def test_bare_addresses_become_links(client):
    call = CallFactory(contacts="Écrire à atelier@exemple.gouv.fr ou voir https://exemple.fr/a")
    html = client.get(call.get_absolute_url()).content.decode()
    assert 'href="https://exemple.fr/a"' in html and 'href="mailto:' in html


def test_a_draft_is_hidden_from_everyone_but_its_managers(client, programme, manager):
    call = CallFactory(programme=programme, state=Call.State.DRAFT)
    assert client.get(call.get_absolute_url()).status_code == 404
    client.force_login(manager)
    assert client.get(call.get_absolute_url()).status_code == 200


def test_a_logged_in_holder_sees_why_their_commune_is_not_eligible(client, holder, geo):
    call = CallFactory(perimeter=geo.paca, population_max=3000)
    client.force_login(holder)
    html = client.get(call.get_absolute_url()).content.decode()
    assert "Votre commune n&#x27;est pas éligible" in html
    assert "Non éligible : population 3\u202f558 &gt; 3\u202f000" in html


def test_visitors_are_invited_to_log_in_to_check_eligibility(client):
    html = client.get(CallFactory().get_absolute_url()).content.decode()
    assert "Connectez-vous pour vérifier l’éligibilité" in html


# --- Editor -----------------------------------------------------------------------------------


def editor_data(**fields):
    data = {
        "kind": "ami",
        "title": "AMI Friches productives",
        "summary": "Recycler les friches économiques.",
        "perimeter": "region:93",
        "version": "1",
    }
    for prefix in ("steps", "benefits", "priorities", "documents"):
        data.update({f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-INITIAL_FORMS": "0"})
    data["priorities-0-bonus"] = "1"  # the blank row's initial value, as a browser posts it
    data.update(fields)
    return data


def test_only_programme_managers_may_open_the_editor(client, programme, holder):
    url = reverse("calls:call_create", args=[programme.slug])
    client.force_login(holder)
    assert client.get(url).status_code == 403


def test_a_manager_creates_a_draft_call_with_its_steps(client, programme, manager, geo):
    client.force_login(manager)
    response = client.post(
        reverse("calls:call_create", args=[programme.slug]),
        editor_data(
            **{
                "steps-0-kind": "intention",
                "steps-0-deadline_0": "2030-06-15",
                "steps-0-deadline_1": "",
                "benefits-0-kind": "team_funding",
                "benefits-0-amount": "150000",
            }
        ),
    )
    assert response.status_code == 302
    call = Call.objects.get(title="AMI Friches productives")
    assert call.state == Call.State.DRAFT and call.perimeter == geo.paca
    [step] = call.steps.all()
    assert step.kind == CallStep.Kind.INTENTION
    assert timezone.localtime(step.deadline).strftime("%d/%m/%Y %H:%M") == "15/06/2030 23:59"
    assert call.closes_at == step.deadline
    assert [e.verb for e in timeline(call)] == ["call.created"]


def test_the_editor_explains_errors_in_french_and_keeps_the_input(client, programme, manager):
    client.force_login(manager)
    response = client.post(
        reverse("calls:call_create", args=[programme.slug]),
        editor_data(
            title="",
            population_min="5000",
            population_max="4000",
            **{"benefits-0-kind": "support_days"},
        ),
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Donnez un titre à l&#x27;appel." in html
    assert "La population maximale doit être supérieure ou égale à la minimale." in html
    assert "Indiquez le nombre de jours d&#x27;accompagnement." in html
    assert "Recycler les friches économiques." in html
    assert not Call.objects.exists()


def test_a_stale_edit_is_refused_without_losing_the_other_change(client, programme, manager):
    call = CallFactory(programme=programme, title="Titre initial", deadline=False)
    Call.objects.filter(pk=call.pk).update(version=2)  # someone saved meanwhile
    client.force_login(manager)
    response = client.post(
        reverse("calls:call_edit", args=[call.slug]), editor_data(title="Mon titre")
    )
    assert "modifié par une autre personne" in response.content.decode()
    call.refresh_from_db()
    assert call.title == "Titre initial"


def test_publishing_logs_and_emails_matching_alerts(
    client, programme, manager, django_capture_on_commit_callbacks
):
    call = CallFactory(programme=programme, state=Call.State.DRAFT, title="AMI Friches")
    SearchAlertFactory(query="q=friche", email="veille@exemple.fr")
    SearchAlertFactory(query="q=biodiversite")
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("calls:call_publish", args=[call.slug]))
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.state == Call.State.PUBLISHED and call.published_at
    assert [e.verb for e in timeline(call)] == ["call.published"]
    assert [m.to for m in mail.outbox] == [["veille@exemple.fr"]]


def test_a_call_without_summary_cannot_be_published(client, programme, manager):
    call = CallFactory(programme=programme, state=Call.State.DRAFT, summary="")
    client.force_login(manager)
    client.post(reverse("calls:call_publish", args=[call.slug]))
    call.refresh_from_db()
    assert call.state == Call.State.DRAFT


@pytest.mark.parametrize("page", ["calls:detail", "calls:call_edit"])
def test_the_publish_button_is_offered_only_when_publishing_would_succeed(
    client, programme, manager, page
):
    """No button that is then refused (issue 12): without a summary the page says why instead."""
    call = CallFactory(programme=programme, state=Call.State.DRAFT, summary="")
    client.force_login(manager)
    html = client.get(reverse(page, args=[call.slug])).content.decode()
    assert reverse("calls:call_publish", args=[call.slug]) not in html
    assert "data-publish-refused" in html and "Rédigez un résumé" in html
    Call.objects.filter(pk=call.pk).update(summary="Recycler les friches.")
    html = client.get(reverse(page, args=[call.slug])).content.decode()
    assert reverse("calls:call_publish", args=[call.slug]) in html
    assert "data-publish-refused" not in html


def test_another_programmes_manager_may_not_publish(client, programme):
    call = CallFactory(programme=programme, state=Call.State.DRAFT)
    outsider = MembershipFactory(
        organisation=OrganisationFactory(kind=Organisation.Kind.DGALN, territory=None, name="X"),
        role=Membership.Role.PROGRAMME_MANAGER,
    ).user
    client.force_login(outsider)
    assert client.post(reverse("calls:call_publish", args=[call.slug])).status_code == 404


def test_partner_organisations_managers_manage_the_programme(client, programme, geo):
    region = OrganisationFactory(kind=Organisation.Kind.REGION, territory=geo.paca, name="Région")
    programme.partners.add(region)
    partner = MembershipFactory(organisation=region, role=Membership.Role.PROGRAMME_MANAGER).user
    client.force_login(partner)
    assert client.get(reverse("calls:call_create", args=[programme.slug])).status_code == 200


def test_superusers_manage_every_programme(client, programme):
    client.force_login(UserFactory(is_superuser=True))
    assert client.get(reverse("calls:manage")).status_code == 200
    assert client.get(reverse("calls:call_create", args=[programme.slug])).status_code == 200


def test_the_project_page_links_to_the_finder_prefilled_for_the_project(client, holder, geo):
    from tests.projects.factories import ProjectFactory

    project = ProjectFactory(
        holders=[holder.memberships.get().organisation], stage="studies", is_public=False
    )
    url = reverse("calls:for_project", args=[project.slug])
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(holder)
    response = client.get(url)
    assert response["Location"] == "/aides/?avancement=studies&territoire=commune%3A04197"
