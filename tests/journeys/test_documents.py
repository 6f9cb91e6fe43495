"""Journey (issue 13, documents): the DGALN's manager finds the decision letters waiting in its
inbox, previews one, signs and sends it; Saint-Ouen's holder finds its application from the
aid finder and downloads its acknowledgement of receipt and the signed letter. Every page
reached passes axe; the pages are reached by clicking only, from the home page."""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from ecoquartier.accounts.models import User
from ecoquartier.applications.models import DecisionLetter, State
from ecoquartier.core import workflows
from tests.applications.factories import build_world, submitted_application
from tests.calls.factories import build_geography

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MANAGER = "gestionnaire.dgaln@demo.ecoquartier.fr"
HOLDER = "porteur.saint-ouen@demo.ecoquartier.fr"


@pytest.fixture
def world():
    world = build_world(build_geography())
    User.objects.filter(pk=world.manager.pk).update(email=MANAGER)
    User.objects.filter(pk=world.holder.pk).update(email=HOLDER)
    world.manager.refresh_from_db()
    world.holder.refresh_from_db()
    application = submitted_application(world, State.UNDER_REVIEW)
    world.decided = workflows.fire(
        application, "select", world.manager, comment="Projet exemplaire en milieu rural."
    )
    return world


def _pdf_text(download):
    with open(download.value.path(), "rb") as content:
        reader = PdfReader(io.BytesIO(content.read()))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def _from_home(page, login, user):
    page.context.clear_cookies()
    login(page, user)
    page.goto("/")


def test_the_manager_previews_signs_and_sends_a_letter_the_holder_downloads_its_documents(
    page, login, assert_accessible, world
):
    title = world.decided.title
    _from_home(page, login, world.manager)
    assert_accessible(page)
    page.get_by_role("link", name="Mon tableau de bord").click()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("^Courriers de décision à signer")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Délibération")
    assert_accessible(page)
    page.get_by_role("link", name=f"Préparer et signer le courrier de {title}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Courrier de décision")
    expect(page.get_by_label("Nom du signataire")).not_to_have_value("")
    assert_accessible(page)

    # A letter without its signatory's role is refused beside the field, in French.
    page.get_by_label("Qualité du signataire").fill("")
    page.get_by_role("button", name="Enregistrer et prévisualiser").click()
    expect(page.get_by_text("Ce champ est obligatoire.")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Nom du signataire").fill("Camille Durand")
    page.get_by_label("Qualité du signataire").fill("Directrice de l’aménagement durable")
    page.get_by_label("Suites à donner").fill("Prenez contact avec la DDT pour la convention.")
    page.get_by_role("button", name="Enregistrer et prévisualiser").click()
    expect(page.get_by_role("status")).to_contain_text("relisez l’aperçu")
    preview = page.locator(".eq-letter-preview")
    expect(preview).to_contain_text("Camille Durand")
    expect(preview).to_contain_text("Prenez contact avec la DDT")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Voir l’aperçu PDF")).click()
    text = _pdf_text(download)
    assert "APERÇU" in text and "Camille Durand" in text
    assert not DecisionLetter.objects.filter(sent_at__isnull=False).exists()

    page.get_by_role("button", name="Signer et envoyer le courrier").click()
    expect(page.get_by_role("status")).to_contain_text("Courrier signé et envoyé")
    expect(page.get_by_text("Courrier de décision envoyé le")).to_be_visible()
    assert_accessible(page)
    assert DecisionLetter.objects.get().is_sent

    # The holder finds its application from the aid finder and downloads its documents.
    _from_home(page, login, world.holder)
    page.get_by_role("link", name="Trouver une aide").first.click()
    assert_accessible(page)
    page.get_by_role("link", name=world.call.title).first.click()
    assert_accessible(page)
    page.get_by_role("link", name=f"Voir ma candidature « {title} »").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Télécharger l’accusé de réception")).click()
    text = _pdf_text(download)
    assert "Accusé de réception" in text and world.decided.reference in text
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Télécharger le courrier de décision")).click()
    text = _pdf_text(download)
    assert "Camille Durand" in text and "APERÇU" not in text
