"""The Saint-Ouen support of the follow-up journeys: the demo, with Saint-Ouen's Cerema 2022
application selected and its follow-up opened anew. The demo already opens one with three years
of history (a convention in force, activities, deliverables); a journey starts from a blank one,
opened by `opener` with `experts` on its team."""

from django.core.management import call_command

from ecoquartier.accounts.models import User
from ecoquartier.applications.models import Application, State
from ecoquartier.core import workflows
from ecoquartier.followup import services
from ecoquartier.followup.models import Convention, FollowUp
from ecoquartier.organisations.models import Organisation
from tests.demo.conftest import load_demo_territories

DEMO = "@demo.ecoquartier.fr"
CEREMA_2022 = "cerema-accompagnement-ecoquartier-2022"


def saint_ouen_application():
    return Application.objects.select_related("call__programme", "project", "organisation").get(
        call__slug=CEREMA_2022, organisation__territory__code="93070"
    )


def forget_follow_up(application):
    """Remove the demo's follow-up of `application` (avenants before what they amend)."""
    for convention in Convention.objects.filter(follow_up__application=application).order_by(
        "-number"
    ):
        convention.delete()
    FollowUp.objects.filter(application=application).delete()


def load_demo():
    load_demo_territories()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def fresh_follow_up(opener="gestionnaire.dgaln", experts=("expert.cerema",), **values):
    """The demo loaded; Saint-Ouen's Cerema 2022 support opened anew."""
    load_demo()
    application = saint_ouen_application()
    forget_follow_up(application)
    manager = User.objects.get(email=f"{opener}{DEMO}")
    if application.state != State.SELECTED:
        application = workflows.fire(application, "select", manager, comment="Projet exemplaire.")
    cerema = Organisation.objects.get(kind=Organisation.Kind.PUBLIC_OPERATOR, acronym="Cerema")
    return services.open_follow_up(
        manager, programme=application.call.programme, project=application.project,
        beneficiary=application.organisation, application=application, coordinator=cerema,
        experts=[User.objects.get(email=f"{email}{DEMO}") for email in experts], **values,
    )  # fmt: skip


# --- What every follow-up journey does in the browser ------------------------------------------


def sign_in(page, assert_accessible, email):
    """From the home page, as the demo person `email` (without the domain), to the dashboard."""
    from playwright.sync_api import expect

    page.context.clear_cookies()
    page.goto("/")
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Se connecter").first.click()
    assert_accessible(page)
    page.get_by_label("Adresse électronique").fill(email + DEMO)
    page.get_by_label("Mot de passe").fill("motdepasse-demo-2026")
    with page.expect_navigation():
        page.get_by_role("button", name="Se connecter").last.click()
    expect(page.get_by_role("heading", level=1, name="Tableau de bord")).to_be_visible()
    assert_accessible(page)


def click(page, assert_accessible, locator):
    """Click what leads to another page, wait for it, check it with axe."""
    with page.expect_navigation():
        locator.click()
    assert_accessible(page)


def before_the_jury():
    """Saint-Ouen's Cerema 2022 file back under review, its support forgotten (the demo selects
    it and follows it): for the journeys of the instruction that comes before."""
    application = saint_ouen_application()
    forget_follow_up(application)
    Application.objects.filter(pk=application.pk).update(
        state=State.UNDER_REVIEW, decided_at=None, motivation=""
    )
    application.refresh_from_db()
    return application
