"""Journey: the DGALN manager reaches the Saint-Ouen follow-up (its Cerema 2022 application
selected, the support opened), prepares its tripartite convention and sends it for signature;
then the holder (from its dashboard), the DDT 93 referent (from the menu « Accompagnements ») and
the Cerema expert (from its dashboard) each sign it with the signed scan, by clicking. The last
signature makes it signed. Every page passes axe."""

import re

import pytest
from playwright.sync_api import expect

from tests.journeys.followup_world import click, fresh_follow_up, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO = "@demo.ecoquartier.fr"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def follow_up():
    """The demo; Saint-Ouen's Cerema 2022 application selected, its support opened anew by the
    DGALN manager (a partner of the Cerema's programme) with the Cerema's expert on the team."""
    return fresh_follow_up()


def from_the_menu(page, assert_accessible, follow_up):
    """« Accompagnements » in the header, the follow-up in the list, then its « Convention »."""
    nav = page.locator("#header-navigation")
    click(page, assert_accessible, nav.get_by_role("link", name="Accompagnements"))
    expect(page.get_by_role("heading", level=1, name="Accompagnements")).to_be_visible()
    click(page, assert_accessible, page.get_by_role("link", name=follow_up.title).first)
    menu = page.locator(".fr-sidemenu")
    click(page, assert_accessible, menu.get_by_role("link", name="Convention", exact=True))
    expect(page.get_by_role("heading", level=1, name="Convention")).to_be_visible()


def from_the_inbox(page, assert_accessible):
    inbox = page.locator("#inbox")
    row = inbox.get_by_role("link", name="Conventions d'accompagnement à signer")
    click(page, assert_accessible, row.first)
    expect(page.get_by_role("heading", level=1, name="Convention")).to_be_visible()


def sign(page, assert_accessible, tmp_path, organisation):
    form = page.locator("form", has=page.get_by_role("button", name="Enregistrer ma signature"))
    expect(form.get_by_label("Vous signez pour")).to_contain_text(organisation)
    scan = tmp_path / "convention-signee.pdf"
    scan.write_bytes(PDF)
    form.locator("input[type=file]").set_input_files(str(scan))
    click(page, assert_accessible, form.get_by_role("button", name="Enregistrer ma signature"))
    expect(page.get_by_text("Votre signature est enregistrée.")).to_be_visible()


def test_the_parties_sign_the_convention_the_manager_sent(
    page, assert_accessible, follow_up, tmp_path
):
    sign_in(page, assert_accessible, "gestionnaire.dgaln")
    from_the_menu(page, assert_accessible, follow_up)
    click(page, assert_accessible, page.get_by_role("link", name="Préparer la convention"))
    # The follow-up's beneficiary and operator are proposed; the State is its DDT's unit.
    expect(page.locator("#id_beneficiary")).to_have_value(str(follow_up.beneficiary_id))
    page.locator("#id_beneficiary_signatory").fill("Karim Bouamrane, maire de Saint-Ouen")
    page.locator("#id_state").select_option(
        label="Unité départementale de la Seine-Saint-Denis de la DRIEAT"
    )
    page.locator("#id_state_signatory").fill("Le préfet de la Seine-Saint-Denis")
    page.locator("#id_operator_signatory").fill("Le directeur général du Cerema")
    click(
        page, assert_accessible,
        page.get_by_role("button", name="Enregistrer le projet de convention"),
    )  # fmt: skip
    expect(page.get_by_text("Projet", exact=True).first).to_be_visible()
    click(page, assert_accessible, page.get_by_role("button", name="Envoyer pour signature"))
    expect(
        page.get_by_text("La convention est désormais « Envoyée pour signature ».")
    ).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Télécharger la convention"))).to_be_visible()

    sign_in(page, assert_accessible, "porteur.saint-ouen")
    from_the_inbox(page, assert_accessible)
    sign(page, assert_accessible, tmp_path, "Saint-Ouen")
    expect(page.get_by_role("link", name=re.compile("Exemplaire signé par"))).to_have_count(1)

    sign_in(page, assert_accessible, "referent.ddt93")
    from_the_menu(page, assert_accessible, follow_up)
    sign(page, assert_accessible, tmp_path, "DRIEAT")

    sign_in(page, assert_accessible, "expert.cerema")
    from_the_inbox(page, assert_accessible)
    sign(page, assert_accessible, tmp_path, "Cerema")
    expect(page.get_by_text("Signée par toutes les parties").first).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Exemplaire signé par"))).to_have_count(3)
