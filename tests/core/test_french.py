"""Always French (issue 13): whatever the browser asks for, the interface is French, and the
first day of a month is written « 1er »."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import timezone

from ecoquartier.core.dates import date_format, day, french_format
from tests.calls.factories import CallFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}


def test_an_english_browser_gets_the_home_page_in_french(client):
    html = client.get("/", **ENGLISH).content.decode()
    assert '<html lang="fr"' in html
    assert "Accès rapide" in html and "Pied de page" in html
    assert "Skip" not in html


def test_an_english_browser_gets_french_error_messages(client):
    response = client.post(
        "/compte/connexion/", {"username": "x@exemple.fr", "password": ""}, **ENGLISH
    )
    html = response.content.decode()
    assert '<html lang="fr"' in html
    assert "This field is required" not in html
    assert "Ce champ est obligatoire" in html


def test_an_english_browser_reads_french_dates_with_1er(client):
    closing = dt.datetime(2031, 1, 1, 23, 59, tzinfo=PARIS)
    call = CallFactory(deadline=closing, title="Appel du premier de l'an")
    html = client.get(call.get_absolute_url(), **ENGLISH).content.decode()
    assert '<html lang="fr"' in html
    assert "1er janvier 2031" in html
    assert "January" not in html


def test_the_date_filter_writes_1er_for_the_first_of_a_month():
    template = Template(
        '{{ a|date:"j F Y" }} / {{ b|date:"j F Y" }} / {{ a|date }} / {{ a|date:"d/m/Y" }}'
    )
    html = template.render(Context({"a": dt.date(2027, 1, 1), "b": dt.date(2027, 1, 2)}))
    assert html == "1er janvier 2027 / 2 janvier 2027 / 1er janvier 2027 / 01/01/2027"


def test_the_date_filter_keeps_escaped_letters_and_times():
    when = timezone.make_aware(dt.datetime(2027, 3, 1, 9, 5), PARIS)
    html = Template(r'{{ when|date:"\l\e j F Y à H:i" }}').render(Context({"when": when}))
    assert html == "le 1er mars 2027 à 09:05"


def test_python_dates_write_1er_too():
    assert date_format(dt.date(2027, 5, 1), "j F Y") == "1er mai 2027"
    assert date_format(dt.date(2027, 5, 11)) == "11 mai 2027"
    assert day(1) == "1er" and day(21) == "21"
    assert french_format(dt.date(2027, 5, 2), "j F") == "j F"
