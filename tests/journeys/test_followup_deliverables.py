"""Journey (issue 14, deliverable 5): on the Saint-Ouen support opened from its Cerema 2022
application, the holder uploads a deliverable, the Cerema expert sends it back with a comment,
the holder uploads version 2, the expert accepts it — each reaching it from the home page and the
menu « Accompagnements ». Every page passes axe."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ecoquartier.followup import deliverables
from tests.journeys.followup_world import click, fresh_follow_up, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO = "@demo.ecoquartier.fr"
TITLE = "Diagnostic partagé des mobilités"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def follow_up():
    follow_up = fresh_follow_up(opener="instruction.cerema")
    manager = follow_up.created_by
    deliverables.add_deliverable(
        manager, follow_up, title=TITLE,
        due_on=timezone.localdate() + datetime.timedelta(days=30),
    )  # fmt: skip
    return follow_up


def open_deliverable(page, assert_accessible, follow_up):
    """From the menu: the follow-ups, this one, its milestones and deliverables, the deliverable."""
    menu = page.locator("#header-navigation").get_by_role("link", name="Accompagnements")
    click(page, assert_accessible, menu)
    expect(page.get_by_role("heading", level=1, name="Accompagnements")).to_be_visible()
    click(page, assert_accessible, page.get_by_role("link", name=follow_up.title).first)
    side = page.locator(".fr-sidemenu").get_by_role("link", name="Jalons et livrables")
    click(page, assert_accessible, side)
    expect(page.get_by_role("link", name="S'abonner au calendrier")).to_be_visible()
    click(page, assert_accessible, page.get_by_role("link", name=TITLE))
    expect(page.get_by_role("heading", level=1, name=TITLE)).to_be_visible()


def upload(page, assert_accessible, path, comment):
    form = page.locator("#deposer ~ form")
    form.get_by_label("Fichier du livrable").set_input_files(str(path))
    form.get_by_label("Commentaire").fill(comment)
    click(page, assert_accessible, page.get_by_role("button", name="Déposer la version"))
    expect(page.get_by_text("La version est déposée")).to_be_visible()


def give_review(page, assert_accessible, decision, comment=""):
    page.get_by_role("radio", name=decision).check(force=True)
    if comment:
        page.locator("#avis ~ form").get_by_label("Commentaire").fill(comment)
    click(page, assert_accessible, page.get_by_role("button", name="Enregistrer l'avis"))
    expect(page.get_by_text("L'avis est enregistré")).to_be_visible()


def test_a_deliverable_is_uploaded_sent_back_then_accepted(
    page, assert_accessible, follow_up, tmp_path
):
    first, second = tmp_path / "diagnostic.pdf", tmp_path / "diagnostic-v2.pdf"
    first.write_bytes(PDF)
    second.write_bytes(PDF)

    sign_in(page, assert_accessible, "porteur.saint-ouen")
    open_deliverable(page, assert_accessible, follow_up)
    upload(page, assert_accessible, first, "Première version du diagnostic.")
    expect(page.get_by_role("link", name="Télécharger diagnostic.pdf")).to_be_visible()

    sign_in(page, assert_accessible, "expert.cerema")
    open_deliverable(page, assert_accessible, follow_up)
    give_review(page, assert_accessible, "Demander des modifications", "Ajoutez les comptages.")
    expect(page.locator(".fr-badge").get_by_text("Modifications demandées")).to_be_visible()

    sign_in(page, assert_accessible, "porteur.saint-ouen")
    open_deliverable(page, assert_accessible, follow_up)
    expect(page.get_by_text("Ajoutez les comptages.")).to_be_visible()
    upload(page, assert_accessible, second, "Comptages ajoutés.")
    expect(page.get_by_role("cell", name="v2", exact=True)).to_be_visible()

    sign_in(page, assert_accessible, "expert.cerema")
    open_deliverable(page, assert_accessible, follow_up)
    give_review(page, assert_accessible, "Accepter le livrable")
    expect(page.locator(".fr-badge").get_by_text("Accepté")).to_be_visible()
