"""Journey: from the home page, the holder of Reillanne's project reaches its application by
clicking, attaches an executable renamed .pdf to a message and reads the refusal beside the
field, then attaches a real PDF, sends it and downloads it back through the application's page
(issue 10, findings 1 and 6). Every page reached passes axe."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from ecoquartier.applications import services
from tests.accounts.factories import PASSWORD
from tests.applications.factories import build_world
from tests.calls.factories import build_geography
from tests.core.samples import EXE, PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world():
    world = build_world(build_geography(), two_step=False)
    world.application = services.start_application(
        world.holder, world.call, world.commune, world.project
    )
    return world


def test_a_holder_is_refused_a_renamed_program_then_sends_and_downloads_a_pdf(
    page, assert_accessible, world
):
    # Only one address is typed: the home page; everything else is a click.
    page.goto("/")
    page.get_by_role("link", name="Se connecter").first.click()
    page.get_by_label("Adresse électronique").fill(world.holder.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Se connecter").last.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tableau de bord")
    assert_accessible(page)

    page.get_by_role("link", name="Mes projets").click()
    page.get_by_role("link", name="Écoquartier des Aires").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Écoquartier des Aires")
    page.get_by_role("link", name="Candidatures du projet").click()
    applications = page.get_by_role("table", name="Candidatures auxquelles vous participez")
    expect(applications).to_contain_text(world.call.title)
    assert_accessible(page)
    applications.get_by_role("link", name=world.application.title).click()
    expect(page.get_by_role("heading", name="Messages")).to_be_visible()

    # An executable renamed .pdf: refused beside the field, the message typed is kept.
    body = page.get_by_label("Votre message")
    attachment = page.get_by_label("Pièce jointe")
    body.fill("Voici la délibération du conseil municipal.")
    attachment.set_input_files(
        files=[{"name": "deliberation.pdf", "mimeType": "application/pdf", "buffer": EXE}]
    )
    page.get_by_role("button", name="Envoyer le message").click()
    error = page.locator("#id_attachment-desc-error")
    expect(error).to_have_text(
        "« deliberation.pdf » est un programme, pas un fichier PDF : il est refusé."
    )
    expect(attachment).to_have_attribute("aria-describedby", "id_attachment-desc-error")
    expect(body).to_have_value("Voici la délibération du conseil municipal.")
    assert_accessible(page)

    # The real PDF goes through, and comes back as a download of the same bytes.
    page.get_by_label("Pièce jointe").set_input_files(
        files=[{"name": "deliberation.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Envoyer le message").click()
    expect(page.get_by_text("Message envoyé.")).to_be_visible()
    link = page.get_by_role("link", name="Pièce jointe : deliberation.pdf")
    expect(link).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "deliberation.pdf"
    assert Path(download.value.path()).read_bytes() == PDF
