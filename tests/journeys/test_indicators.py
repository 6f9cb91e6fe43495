"""Indicators and the label's performance check (issue 15), on the demo, by clicking only from
the home page: the Saint-Ouen holder goes from its project's label page (from ÉcoProjet on it
points to the targets) to the indicator board, sets a target, records two measurements, and sees
the chart and where the Docks stand among similar projects, adds an indicator of the project's
own and sets its target; then the Cerema expert opens a
"ÉcoQuartier Livré" file in expertise, reads its performance check and comments an indicator.
Axe runs on every page reached."""

import re

import pytest
from playwright.sync_api import expect

from ecoquartier.indicators.models import IndicatorValue
from ecoquartier.labels.models import IndicatorComment
from tests.journeys.followup_world import DEMO, load_demo, sign_in
from tests.journeys.indicators_world import record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOLDER, EXPERT = "porteur.saint-ouen", "expert.cerema"
DOCKS = "Écoquartier des Docks"
ENERGY = "Consommation d'énergie primaire des bâtiments"
FILE_IN_EXPERTISE = "Écoquartier de la Cartoucherie — Livré"


@pytest.fixture
def demo():
    load_demo()


def test_the_holder_follows_its_targets_and_an_expert_comments_the_performance_check(
    page, assert_accessible, demo
):
    sign_in(page, assert_accessible, HOLDER)
    page.get_by_role("link", name="Mes projets").first.click()
    expect(page.get_by_role("link", name=DOCKS).first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=DOCKS).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(DOCKS)
    assert_accessible(page)
    page.get_by_role("link", name="Label ÉcoQuartier : étapes et attestations").click()
    expect(page.locator("main")).to_contain_text("Objectifs de performance du socle national")
    assert_accessible(page)

    page.get_by_role("link", name="Fixer les objectifs").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Indicateurs du projet")
    assert_accessible(page)
    page.get_by_role("link", name=ENERGY).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ENERGY)
    assert_accessible(page)
    record(page, assert_accessible, "Objectif", "45", "2032")
    record(page, assert_accessible, "Mesure", "80", "2026-03-31")
    record(page, assert_accessible, "Mesure", "72", "2026-09-30")
    assert_accessible(page)
    expect(page.get_by_role("figure", name="Évolution de l’indicateur")).to_be_visible()
    expect(page.locator("#comparison")).to_contain_text("projets comparables, la médiane est de")
    values = IndicatorValue.objects.filter(project__name=DOCKS, indicator__code="SO-05")
    assert values.filter(kind="target", year=2032).exists()
    assert values.filter(kind="measurement", date__year=2026).count() == 2

    # An indicator of the project's own, from the board (the breadcrumb leads back to it).
    page.get_by_role("navigation", name="vous êtes ici :").get_by_role(
        "link", name="Indicateurs", exact=True
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Indicateurs du projet")
    assert_accessible(page)
    page.get_by_role("link", name="Ajouter un indicateur du projet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ajouter un indicateur du projet")
    assert_accessible(page)
    page.get_by_label("Nom de l'indicateur").fill("Arbres plantés")
    page.get_by_role("textbox", name=re.compile(r"^Unité")).fill("arbres")
    page.get_by_label("Défi", exact=True).select_option(label="Résilience")
    page.get_by_role("button", name="Ajouter l'indicateur").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Arbres plantés")
    assert_accessible(page)
    record(page, assert_accessible, "Objectif", "400", "2030")

    sign_in(page, assert_accessible, EXPERT)
    page.get_by_role("link", name="Label", exact=True).first.click()
    expect(page.get_by_role("heading", name="Vos dossiers à expertiser")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=FILE_IN_EXPERTISE).click()
    table = page.get_by_role("table", name="Bilan des indicateurs : objectifs et valeurs atteintes")
    expect(table).to_contain_text("Part de logements sociaux")
    assert_accessible(page)
    choice = "CV-01 — Part modale de la voiture"
    page.get_by_label("Indicateur commenté").select_option(label=choice)
    page.get_by_label("Commentaire", exact=True).fill("La part modale baisse moins vite que prévu.")
    page.get_by_role("button", name="Enregistrer le commentaire").click()
    expect(page.locator(".fr-alert--success")).to_contain_text("Votre commentaire est enregistré")
    expect(table.get_by_role("row").filter(has_text="Part modale de la voiture")).to_contain_text(
        "La part modale baisse moins vite que prévu."
    )
    assert_accessible(page)
    assert IndicatorComment.objects.filter(
        indicator__code="CV-01", author__email=EXPERT + DEMO
    ).exists()
