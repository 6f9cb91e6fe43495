"""What the indicator journeys do in the browser: record a value on an indicator's page."""

import re

from playwright.sync_api import expect


def record(page, assert_accessible, kind, value, when):
    page.get_by_label("Nature").select_option(label=kind)
    page.get_by_label("Valeur", exact=True).fill(value)
    if kind == "Objectif":
        page.get_by_label("Année cible").fill(when)
    else:
        page.get_by_label(re.compile(r"^Date")).fill(when)
    page.get_by_role("button", name="Enregistrer la valeur").click()
    expect(page.locator(".fr-alert--success")).to_contain_text("La valeur est enregistrée")
    assert_accessible(page)
