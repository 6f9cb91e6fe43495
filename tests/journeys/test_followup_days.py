"""Journey (issue 14, support days): the Cerema expert signs in from the home page, reaches the
Saint-Ouen follow-up through the « Accompagnements » menu and logs three activities; the burn-down
and the forecast follow. Then Saint-Ouen's holder signs in, goes to its project and reads the days
left and the forecast. Every page passes axe."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.journeys.followup_world import click, fresh_follow_up, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO = "@demo.ecoquartier.fr"


@pytest.fixture
def demo():
    """The demo, Saint-Ouen's Cerema 2022 application selected, and its follow-up opened anew
    200 days ago with the Cerema expert on its team (36 days over 3 years)."""
    return fresh_follow_up(
        opener="instruction.cerema", days_budget=36,
        starts_on=timezone.localdate() - datetime.timedelta(days=200),
    )  # fmt: skip


def open_follow_up_page(page, assert_accessible, follow_up):
    click(
        page, assert_accessible,
        page.locator("#header-navigation").get_by_role("link", name="Accompagnements"),
    )  # fmt: skip
    expect(page.get_by_role("heading", level=1, name="Accompagnements")).to_be_visible()
    click(page, assert_accessible, page.get_by_role("link", name=follow_up.title).first)
    expect(page.get_by_role("heading", level=1, name=follow_up.title)).to_be_visible()


ACTIVITIES = (
    (150, "2", "Aménagement et urbanisme", "Cadrage amont", "Cadrage avec l'aménageur"),
    (90, "3", "Mobilités", "Visite de site", "Visite des rues du quartier"),
    (20, "1", "Participation citoyenne", "Atelier", "Atelier avec les habitants"),
)


def test_the_expert_logs_days_and_the_holder_reads_what_is_left(page, assert_accessible, demo):
    sign_in(page, assert_accessible, "expert.cerema")
    open_follow_up_page(page, assert_accessible, demo)
    click(page, assert_accessible, page.get_by_role("link", name="Jours d'accompagnement"))
    expect(page.get_by_role("heading", level=1, name="Jours d'accompagnement")).to_be_visible()
    expect(page.locator("#forecast")).to_have_text(re.compile("pas encore de prévision"))
    today = timezone.localdate()
    for days_ago, half_days, domain, kind, notes in ACTIVITIES:
        click(page, assert_accessible, page.get_by_role("link", name="Consigner une intervention"))
        form = page.locator("form", has=page.get_by_role("button", name="Consigner"))
        form.get_by_label("Date", exact=True).fill(
            (today - datetime.timedelta(days=days_ago)).isoformat()
        )
        form.get_by_label("Durée").select_option(half_days)
        form.get_by_label("Domaine", exact=True).select_option(label=domain)
        form.get_by_label("Type d'intervention").select_option(label=kind)
        form.get_by_label("Notes").fill(notes)
        click(page, assert_accessible, form.get_by_role("button", name="Consigner l'intervention"))
        expect(page.get_by_text("L'intervention est consignée.")).to_be_visible()
        expect(page.get_by_role("cell", name=notes)).to_be_visible()
    # 6 half-days: 3 days used of 36, 33 left; the chart and its table are there.
    expect(page.locator("#days-left")).to_have_text(re.compile(r"33\s*j"))
    expect(page.locator("#forecast")).to_have_text(re.compile("Au rythme actuel"))
    expect(
        page.get_by_role("img", name=re.compile("Jours consommés et jours prévus"))
    ).to_be_visible()
    expect(page.get_by_role("table", name=re.compile("mois par mois"))).to_be_visible()

    sign_in(page, assert_accessible, "porteur.saint-ouen")
    open_follow_up_page(page, assert_accessible, demo)
    expect(page.locator("#days-forecast")).to_have_text(re.compile("Au rythme actuel"))
    click(
        page, assert_accessible,
        page.get_by_role("link", name=demo.project.name, exact=True).first,
    )  # fmt: skip
    expect(page.get_by_role("heading", level=1, name=demo.project.name)).to_be_visible()
    click(page, assert_accessible, page.get_by_role("link", name=re.compile("^Accompagnements :")))
    expect(page.get_by_role("heading", level=1, name="Accompagnements du projet")).to_be_visible()
    card = page.locator(".fr-card", has=page.get_by_role("link", name=demo.title))
    expect(card).to_contain_text("Jours restants : 33 (3 consommés sur 36).")
    expect(card).to_contain_text(
        re.compile(r"Au rythme actuel, le budget de jours serai?t? épuisé")
    )
