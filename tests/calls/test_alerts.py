"""F-23 alerts: double opt-in, one e-mail per (alert, call) however often the task runs,
one-click unsubscribe."""

import re
from unittest import mock

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse

from ecoquartier.calls import alerts, tasks
from ecoquartier.calls.models import AlertDelivery, Call, SearchAlert
from ecoquartier.calls.services import publish_call
from tests.accounts.factories import UserFactory
from tests.calls.factories import CallFactory, SearchAlertFactory

pytestmark = pytest.mark.django_db


def link(message, name):
    """The path of the first link to URL `name` in an e-mail."""
    prefix = reverse(name, args=["TOKEN"]).split("TOKEN")[0]
    return re.search(rf"https?://[^/\s]+({re.escape(prefix)}[^\s]+)", message.body).group(1)


# --- Double opt-in ----------------------------------------------------------------------------


def test_saving_a_search_sends_a_confirmation_link_and_waits_for_it(
    client, geo, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("calls:alert_create"),
            {"email": "Veille@Exemple.fr", "recherche": "territoire=04160&q=friche"},
        )
    assert response.status_code == 302
    assert response["Location"] == "/aides/?q=friche&territoire=commune%3A04160"
    alert = SearchAlert.objects.get()
    assert alert.email == "veille@exemple.fr"
    assert alert.query == "q=friche&territoire=commune%3A04160"
    assert alert.label == "« friche » · Reillanne (04160)"
    assert not alert.is_active
    [message] = mail.outbox
    assert message.to == ["veille@exemple.fr"]
    assert "« friche » · Reillanne (04160)" in message.body

    client.get(link(message, "calls:alert_confirm"))
    alert.refresh_from_db()
    assert alert.is_active


def test_an_invalid_search_or_address_is_refused_in_french(client):
    response = client.post(
        reverse("calls:alert_create"), {"email": "pas-une-adresse", "recherche": "avant=hier"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Saisissez une adresse électronique valide" in html
    assert "La recherche à enregistrer n&#x27;est pas valide." in html
    assert not SearchAlert.objects.exists()


def test_a_tampered_hidden_search_is_refused_with_a_message(client, geo):
    """Found by the fuzzer (tests/security): the hidden field's error was never shown."""
    response = client.post(
        reverse("calls:alert_create"), {"email": "veille@exemple.fr", "recherche": "a\x00b"}
    )
    assert response.status_code == 400
    assert "Le caractère nul n’est pas autorisé." in response.content.decode()
    assert not SearchAlert.objects.exists()


def test_saving_an_active_alert_again_sends_nothing(client, django_capture_on_commit_callbacks):
    SearchAlertFactory(email="veille@exemple.fr", query="q=friche")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("calls:alert_create"), {"email": "veille@exemple.fr", "recherche": "q=friche"}
        )
    assert mail.outbox == []
    assert SearchAlert.objects.count() == 1


def test_a_tampered_or_expired_confirmation_link_is_refused(client):
    alert = SearchAlertFactory(confirmed_at=None)
    token = signing.dumps(
        {"alert": alert.pk, "email": "autre@exemple.fr"}, salt=alerts.CONFIRM_SALT
    )
    assert client.get(reverse("calls:alert_confirm", args=[token])).status_code == 400
    with mock.patch.object(alerts, "CONFIRM_MAX_AGE", -1):
        url = alerts.confirm_url(alert).split("8000", 1)[-1]
        assert client.get(url).status_code == 400
    alert.refresh_from_db()
    assert not alert.is_active


# --- Delivery ---------------------------------------------------------------------------------


@pytest.fixture
def alerts_on_friches(geo):
    return {
        "friche": SearchAlertFactory(email="friche@exemple.fr", query="q=friches"),
        "reillanne": SearchAlertFactory(email="reillanne@exemple.fr", query="territoire=04160"),
        "brest": SearchAlertFactory(email="brest@exemple.fr", query="territoire=29019"),
        "pending": SearchAlertFactory(email="pending@exemple.fr", query="", confirmed_at=None),
    }


def test_a_published_call_is_mailed_once_to_each_matching_alert_even_when_retried(
    geo, alerts_on_friches
):
    call = CallFactory(title="Recycler une friche", perimeter=geo.paca)
    first = tasks.send_call_alerts.enqueue(call.pk)
    retry = tasks.send_call_alerts.enqueue(call.pk)
    assert (first.return_value, retry.return_value) == (2, 0)
    assert sorted(m.to[0] for m in mail.outbox) == ["friche@exemple.fr", "reillanne@exemple.fr"]
    assert AlertDelivery.objects.filter(call=call, sent_at__isnull=False).count() == 2


def test_a_retry_after_a_failure_sends_only_what_is_missing(geo, alerts_on_friches):
    call = CallFactory(title="Recycler une friche", perimeter=geo.paca)
    real_send = alerts._send_new_call
    failed = []

    def flaky(alert, call):
        if alert.email == "reillanne@exemple.fr" and not failed:
            failed.append(alert)
            raise ConnectionError("SMTP indisponible")
        real_send(alert, call)

    with mock.patch.object(alerts, "_send_new_call", flaky):
        result = tasks.send_call_alerts.enqueue(call.pk)
        assert result.status == "FAILED"
        tasks.send_call_alerts.enqueue(call.pk)
        tasks.send_call_alerts.enqueue(call.pk)
    assert sorted(m.to[0] for m in mail.outbox) == ["friche@exemple.fr", "reillanne@exemple.fr"]


def test_publishing_enqueues_the_alerts_after_commit(geo, django_capture_on_commit_callbacks):
    SearchAlertFactory(email="veille@exemple.fr", query="territoire=04160")
    call = CallFactory(state=Call.State.DRAFT, perimeter=geo.paca)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        publish_call(UserFactory(is_superuser=True), call)
    assert mail.outbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    assert [m.to for m in mail.outbox] == [["veille@exemple.fr"]]


def test_a_draft_or_unknown_call_sends_nothing(alerts_on_friches):
    draft = CallFactory(state=Call.State.DRAFT, title="friche")
    assert alerts.deliver(draft.pk) == 0
    assert alerts.deliver(999999) == 0
    assert mail.outbox == []


# --- Unsubscribing ----------------------------------------------------------------------------


def test_each_alert_email_unsubscribes_in_one_click(geo):
    alert = SearchAlertFactory(email="veille@exemple.fr", query="")
    alerts.deliver(CallFactory().pk)
    [message] = mail.outbox
    path = link(message, "calls:alert_unsubscribe")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert path in message.extra_headers["List-Unsubscribe"]

    browser = Client()
    assert "Me désabonner" in browser.get(path).content.decode()
    alert.refresh_from_db()
    assert alert.is_active  # a link scanner's GET changes nothing

    mail_client = Client(enforce_csrf_checks=True)  # RFC 8058: a POST without CSRF token
    response = mail_client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    alert.refresh_from_db()
    assert not alert.is_active
    alerts.deliver(CallFactory().pk)
    assert len(mail.outbox) == 1
