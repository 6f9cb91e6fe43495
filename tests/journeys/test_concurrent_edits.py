"""Journey: the commune edits its application in two tabs. Different fields autosaved from
each tab both survive; the same field changed in the second tab after the first is refused
there, beside the field, which then shows the answer saved from the first tab."""

import re

import pytest
from playwright.sync_api import expect

from ecoquartier.applications import services
from tests.applications.factories import build_world
from tests.calls.factories import build_geography

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUMMARY = re.compile("Présentation du projet")
MOTIVATION = re.compile("Motivations et attentes")


def autosave(tab, label, text):
    field = tab.get_by_label(label)
    field.fill(text)
    with tab.expect_response(lambda response: "enregistrement-auto" in response.url):
        field.press("Tab")  # the change event: htmx posts the form
    expect(tab.locator("#autosave-status")).to_contain_text("Brouillon enregistré")


def open_form(tab, call, application):
    """From any page, the application's form: the call's page in the finder, "Reprendre ma
    candidature"."""
    tab.get_by_role("link", name="Trouver une aide").first.click()
    tab.get_by_role("link", name=call.title).first.click()
    tab.get_by_role("link", name=f"Reprendre ma candidature « {application.title} »").click()


def test_two_tabs_keep_both_edits_and_refuse_a_conflicting_one(page, login):
    world = build_world(build_geography())
    application = services.start_application(world.holder, world.call, world.commune)
    login(page, world.holder)
    open_form(page, world.call, application)
    second = page.context.new_page()  # the same session, in another tab
    second.goto("/")
    open_form(second, world.call, application)

    autosave(page, SUMMARY, "Écrit dans le premier onglet.")
    autosave(second, MOTIVATION, "Écrit dans le second onglet.")
    data = services.answers_for(application).data
    assert data["summary"] == "Écrit dans le premier onglet."
    assert data["motivation"] == "Écrit dans le second onglet."

    autosave(second, SUMMARY, "Réécrit dans le second onglet.")
    field = second.locator("#field-summary")
    expect(field).to_contain_text("Cette réponse a été modifiée entre-temps")
    expect(field).to_contain_text("« Réécrit dans le second onglet. »")
    expect(second.get_by_label(SUMMARY)).to_have_value("Écrit dans le premier onglet.")
    assert services.answers_for(application).data["summary"] == "Écrit dans le premier onglet."

    # The second tab goes on: its next change merges, the first tab's answer stays.
    autosave(second, MOTIVATION, "Complété dans le second onglet.")
    data = services.answers_for(application).data
    assert data == {
        **data,
        "summary": "Écrit dans le premier onglet.",
        "motivation": "Complété dans le second onglet.",
    }
    second.close()
