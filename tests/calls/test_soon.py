"""A call open by its dates whose application form is not published yet shows "Bientôt ouvert",
not "Ouvert", on its page, its card and the managers' list (issue 13, item 3); and the cards keep
an empty slot for the actions other apps offer each user, outside the cache."""

import pytest
from django.urls import reverse
from django.utils import timezone

from ecoquartier.calls import reads
from ecoquartier.calls.models import SOON, Call, Status, shown_status
from ecoquartier.organisations.models import Membership
from tests.calls.factories import CallFactory
from tests.organisations.factories import MembershipFactory

pytestmark = pytest.mark.django_db

FINDER = reverse("calls:finder")
SOON_BADGE = 'data-status="soon">Bientôt ouvert</p>'
OPEN_BADGE = 'data-status="open">Ouvert</p>'


def test_an_accepting_call_without_a_published_form_is_shown_soon():
    assert shown_status(Status.OPEN, None) == SOON
    assert shown_status(Status.CLOSING_SOON, None) == SOON
    assert shown_status(Status.OPEN, timezone.now()) == Status.OPEN
    assert shown_status(Status.UPCOMING, None) == Status.UPCOMING
    assert shown_status(Status.CLOSED, None) == Status.CLOSED


def test_the_call_page_and_its_card_say_soon_until_a_form_is_published(client):
    call = CallFactory(title="Appel sans formulaire")
    assert SOON_BADGE in client.get(call.get_absolute_url()).content.decode()
    assert SOON_BADGE in client.get(FINDER).content.decode()

    assert Call.objects.filter(pk=call.pk).mark_forms_published(timezone.now()) == 1

    # The generation moved: neither the page nor the cached cards say "soon" any more.
    assert OPEN_BADGE in client.get(call.get_absolute_url()).content.decode()
    finder = client.get(FINDER).content.decode()
    assert OPEN_BADGE in finder and SOON_BADGE not in finder


def test_a_form_published_again_keeps_the_first_date():
    first = timezone.now()
    call = CallFactory(forms_published_at=first)
    assert Call.objects.filter(pk=call.pk).mark_forms_published(timezone.now()) == 0
    call.refresh_from_db()
    assert call.forms_published_at == first


def test_the_managers_list_says_soon(client, geo):
    call = CallFactory()
    manager = MembershipFactory(
        organisation=call.programme.owner, role=Membership.Role.PROGRAMME_MANAGER
    ).user
    client.force_login(manager)
    assert SOON_BADGE in client.get(reverse("calls:manage")).content.decode()


def test_a_card_slot_is_left_empty_when_no_app_offers_anything(client):
    CallFactory(forms_published_at=timezone.now())
    html = client.get(FINDER).content.decode()
    assert "eq-card-actions" not in html and "fr-card__footer" not in html


def test_with_actions_puts_each_cards_actions_in_its_footer():
    html = "".join(reads.ACTIONS_SLOT.format(pk=pk) for pk in (1, 2))
    filled = reads.with_actions(html, {2: '<a href="/x/">Candidater</a>'})
    assert filled == '<div class="fr-card__footer"><a href="/x/">Candidater</a></div>'
