"""Label files are decided only by the label commissions (issue 13, item 6): never from the
call's jury page, and a file the local commission did not propose is never a laureate."""

import pytest
from django.urls import reverse

from ecoquartier.applications import reads
from ecoquartier.applications.models import Application
from ecoquartier.applications.models import State as ApplicationState
from ecoquartier.core import workflows
from ecoquartier.labels import services
from ecoquartier.labels.models import FileState
from tests.labels.factories import (
    apply,
    expertise_done,
    local_session,
    national_session,
    sign_and_acknowledge,
)

REFUSED = "décidé par les commissions du label"


@pytest.fixture
def file(world):
    sign_and_acknowledge(world)
    return expertise_done(world, apply(world))


def not_proposed(world, file):
    services.deliberate(
        world.referent, local_session(world), file, outcome="not_propose", motivation="Trop tôt."
    )
    file.refresh_from_db()
    return file


def awarded(world, file):
    services.deliberate(
        world.referent, local_session(world), file, outcome="propose", motivation="Solide."
    )
    file.refresh_from_db()
    services.deliberate(
        world.manager, national_session(world), file, outcome="award", motivation="Exemplaire."
    )
    file.refresh_from_db()
    return file


def test_the_jury_may_not_select_a_label_file(world, file):
    application = file.application
    assert application.state == ApplicationState.UNDER_REVIEW
    with pytest.raises(workflows.TransitionRefused, match=REFUSED):
        workflows.fire(application, "select", world.manager, comment="Retenu par le jury.")
    application.refresh_from_db()
    assert application.state == ApplicationState.UNDER_REVIEW


@pytest.mark.parametrize("action", ["reject", "wait_list", "dismiss"])
def test_the_jury_may_not_refuse_a_label_file_either(world, file, action):
    with pytest.raises(workflows.TransitionRefused, match=REFUSED):
        workflows.fire(file.application, action, world.manager, comment="Non.")


def test_the_application_page_says_where_a_label_file_is_decided(world, file):
    _offered, refused = workflows.actions(file.application, world.manager)
    reasons = {t.name: reason for t, reason in refused}
    assert REFUSED in reasons["select"] and REFUSED in reasons["reject"]


def test_a_file_not_proposed_locally_is_never_selected_afterwards(world, file):
    file = not_proposed(world, file)
    national_session(world)  # settles the files the local commissions did not propose
    file.application.refresh_from_db()
    assert file.application.state == ApplicationState.NOT_SELECTED
    with pytest.raises(workflows.TransitionRefused):
        workflows.fire(file.application, "select", world.manager, comment="Repêché.")
    assert reads.laureates(world.campaign.call) == []


def test_a_file_not_proposed_is_no_laureate_even_if_its_application_says_selected(world, file):
    """Data written before the guard (or by hand) cannot make it a laureate either."""
    file = not_proposed(world, file)
    Application.objects.filter(pk=file.application_id).update(state=ApplicationState.SELECTED)
    assert reads.laureates(world.campaign.call) == []
    assert reads.public_selections(world.project)["selections"] == []


def test_the_national_award_makes_the_laureate(world, file):
    file = awarded(world, file)
    assert file.state == FileState.AWARDED
    assert [a.pk for a in reads.laureates(world.campaign.call)] == [file.application_id]


# --- Pages ----------------------------------------------------------------------------------


def test_the_deliberation_page_offers_no_decision_on_label_files(client, world, file):
    client.force_login(world.manager)
    url = reverse("applications:deliberation", kwargs={"slug": world.campaign.call.slug})
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert file.application.title in html
    assert "Enregistrer la décision" not in html
    assert "Décisions prises par les commissions du label" in html
    assert world.campaign.get_absolute_url() in html


def test_a_decision_posted_to_the_jury_page_is_refused(client, world, file):
    client.force_login(world.manager)
    url = reverse("applications:deliberation", kwargs={"slug": world.campaign.call.slug})
    application = file.application
    response = client.post(
        url,
        {
            "application": application.pk,
            f"d{application.pk}-application": application.pk,
            f"d{application.pk}-version": application.version,
            f"d{application.pk}-action": "select",
            f"d{application.pk}-reason": "Retenu par le jury.",
        },
        follow=True,
    )
    assert REFUSED in response.content.decode()
    application.refresh_from_db()
    assert application.state == ApplicationState.UNDER_REVIEW


def test_the_laureates_page_lists_the_awarded_file_only(client, world, file):
    other = not_proposed(world, file)
    Application.objects.filter(pk=other.application_id).update(state=ApplicationState.SELECTED)
    url = reverse("applications:laureates", kwargs={"slug": world.campaign.call.slug})
    html = client.get(url).content.decode()
    assert "Les lauréats n’ont pas encore été désignés." in html
    assert world.saint_ouen.name not in html


def test_the_laureates_page_lists_an_awarded_file(client, world, file):
    awarded(world, file)
    url = reverse("applications:laureates", kwargs={"slug": world.campaign.call.slug})
    html = client.get(url).content.decode()
    assert world.saint_ouen.name in html
