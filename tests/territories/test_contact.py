"""The State contacts of a territory page can be written to through the platform (issue 13,
item 11): the message goes by e-mail to the service's referents, or to its contact address."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from ecoquartier.core.models import ActivityEvent
from ecoquartier.organisations import services
from ecoquartier.organisations.models import ContactMessage, Membership, Organisation
from ecoquartier.organisations.state_services import seed_state_services
from tests.accounts.factories import UserFactory
from tests.organisations.factories import MembershipFactory, OrganisationFactory
from tests.organisations.geography import real_geography

pytestmark = pytest.mark.django_db


@pytest.fixture
def geo():
    geography = real_geography()
    seed_state_services()
    return geography


@pytest.fixture
def unit(geo):
    """The DRIEAT's unit of the Seine-Saint-Denis (no contact address, as seeded)."""
    return Organisation.objects.get(kind=Organisation.Kind.DREAL, territory=geo.ssd)


@pytest.fixture
def referent(unit):
    return MembershipFactory(
        organisation=unit, role=Membership.Role.STATE_REFERENT, user__email="karim@exemple.fr"
    ).user


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    def do(sender, organisation, subject="Projet de quartier", body="Pouvons-nous échanger ?"):
        with django_capture_on_commit_callbacks(execute=True):
            return services.contact_service(sender, organisation, subject, body)

    return do


def territory_url(territory):
    return reverse(
        "organisations:territory", kwargs={"kind": territory.kind, "code": territory.code}
    )


def test_a_message_is_emailed_to_the_services_referents_with_the_sender_to_reply_to(
    send, unit, referent
):
    MembershipFactory(organisation=unit, role=Membership.Role.MEMBER)  # not a referent
    sender = UserFactory(email="camille@exemple.fr")
    message = send(sender, unit)
    [email] = mail.outbox
    assert email.to == ["karim@exemple.fr"]
    assert email.extra_headers["Reply-To"] == "camille@exemple.fr"
    assert "Projet de quartier" in email.subject and "Pouvons-nous échanger ?" in email.body
    assert ActivityEvent.objects.filter(verb="organisation.contacted").exists()
    assert message.organisation == unit


def test_without_referents_the_message_goes_to_the_contact_address(send, unit):
    unit.email = "ud93@exemple.gouv.fr"
    unit.save()
    send(UserFactory(), unit)
    assert [m.to for m in mail.outbox] == [["ud93@exemple.gouv.fr"]]


def test_a_service_without_referent_nor_address_cannot_be_written_to(send, unit):
    with pytest.raises(ValidationError, match="pas encore de destinataire"):
        send(UserFactory(), unit)
    assert not ContactMessage.objects.exists()


def test_only_state_services_are_reachable_this_way(send, referent):
    with pytest.raises(PermissionDenied):
        send(UserFactory(), OrganisationFactory())


def test_a_sender_is_limited_to_a_few_messages_an_hour(send, unit, referent):
    sender = UserFactory()
    for _ in range(services.CONTACT_LIMIT):
        send(sender, unit)
    with pytest.raises(ValidationError) as error:
        send(sender, unit)
    assert "réessayez plus tard" in error.value.message_dict["body"][0]
    assert ContactMessage.objects.count() == services.CONTACT_LIMIT


def test_the_territory_page_links_each_reachable_service_to_its_form(client, geo, unit, referent):
    html = client.get(territory_url(geo.saint_ouen)).content.decode()
    assert reverse("organisations:contact", kwargs={"pk": unit.pk}) in html
    region = Organisation.objects.get(kind=Organisation.Kind.DREAL, territory=geo.idf)
    assert reverse("organisations:contact", kwargs={"pk": region.pk}) not in html
    assert "Adresse de contact à compléter" in html


def test_visitors_are_asked_to_sign_in_before_writing(client, unit, referent):
    response = client.get(reverse("organisations:contact", kwargs={"pk": unit.pk}))
    assert response.status_code == 302 and "/compte/connexion/" in response.url


def test_the_form_shows_french_errors_beside_the_fields(client, unit, referent):
    client.force_login(UserFactory())
    response = client.post(reverse("organisations:contact", kwargs={"pk": unit.pk}), {})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("Ce champ est obligatoire.") == 2
    assert 'aria-describedby="id_subject-desc-error"' in html


def test_sending_from_the_page_returns_to_the_service_with_a_confirmation(client, unit, referent):
    client.force_login(UserFactory())
    response = client.post(
        reverse("organisations:contact", kwargs={"pk": unit.pk}),
        {"subject": "Un projet", "body": "Bonjour."},
        follow=True,
    )
    assert "Votre message a été envoyé" in response.content.decode()
    assert ContactMessage.objects.get().subject == "Un projet"


def test_the_territory_page_is_bounded_in_queries(
    client, geo, unit, referent, django_assert_max_num_queries
):
    for _ in range(20):
        MembershipFactory(organisation=unit, role=Membership.Role.STATE_REFERENT)
    with django_assert_max_num_queries(10):
        assert client.get(territory_url(geo.saint_ouen)).status_code == 200
