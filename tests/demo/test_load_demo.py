import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError

from ecoquartier.accounts.models import User
from ecoquartier.core.models import ActivityEvent
from ecoquartier.demo.people import read
from ecoquartier.demo.steps import import_step, run_steps
from ecoquartier.organisations.models import Membership, Organisation
from ecoquartier.projects.models import Project
from ecoquartier.projects.permissions import visible_projects

pytestmark = pytest.mark.django_db

PASSWORD = "motdepasse-demo-2026"
LAUREATES = {
    "04012": "Commune d'Aubenas-les-Alpes",
    "04197": "Commune de Sainte-Tulle",
    "04160": "Commune de Reillanne",
    "04188": "Commune de Saint-Maime",
    "240600585": "Communauté d'agglomération de Sophia Antipolis",
}


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (User, Organisation, Membership, Project, ActivityEvent)
    }


@pytest.fixture
def demo(demo_territories):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_running_load_demo_twice_duplicates_nothing(demo):
    before = counts()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert counts() == before
    assert before["Project"] >= 15


def test_a_second_run_keeps_what_people_changed(demo):
    docks = Project.objects.get(slug="ecoquartier-des-docks")
    docks.summary = "Modifié dans la plateforme"
    docks.save()
    user = User.objects.get(email="porteur.saint-ouen@demo.ecoquartier.fr")
    user.set_password("un-autre-mot-de-passe")
    user.save()

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    docks.refresh_from_db()
    user.refresh_from_db()
    assert docks.summary == "Modifié dans la plateforme"
    assert user.check_password("un-autre-mot-de-passe")


def test_the_docks_of_saint_ouen_are_a_project_with_their_shared_garden(demo):
    docks = Project.objects.get(slug="ecoquartier-des-docks")
    assert [o.name for o in docks.holders.all()] == ["Ville de Saint-Ouen-sur-Seine"]
    assert [c.code for c in docks.communes.all()] == ["93070"]
    assert "jardin partagé" in docks.description
    assert docks.stage == Project.Stage.DELIVERED
    assert docks.social_dwellings <= docks.dwellings
    # Other apps' demo steps log their own events (applications, label steps) on the Docks too.
    verbs = list(
        ActivityEvent.objects.for_object(docks)
        .filter(verb__startswith="project.")
        .values_list("verb", flat=True)
    )
    assert verbs == ["project.updated", "project.updated", "project.created"]


def test_the_five_laureates_of_the_2017_ami_paca_each_hold_a_project(demo):
    for code, name in LAUREATES.items():
        organisation = Organisation.objects.get(territory__code=code)
        assert organisation.name == name
        [project] = organisation.held_projects.all()
        assert "AMI Quartiers Durables" in project.description
        assert project.stage == Project.Stage.STUDIES


def test_the_operator_and_partners_exist(demo):
    for name in ("Intercommunalités de France", "Villes de France"):
        assert Organisation.objects.filter(kind="elected_association", name=name).exists()
    assert Organisation.objects.get(acronym="AMF").kind == "elected_association"
    assert Organisation.objects.get(acronym="Cerema").kind == "operator"
    assert Organisation.objects.get(kind="dgaln").territory.code == "FR"


def test_projects_are_spread_across_regions(demo):
    regions = {c.region_id for p in Project.objects.all() for c in p.communes.all()}
    assert len(regions) >= 10


@pytest.mark.parametrize("account", read()["accounts"], ids=lambda a: a["email"])
def test_every_demo_account_logs_in_with_the_demo_password(demo, rf, account):
    user = authenticate(rf.post("/"), username=account["email"], password=PASSWORD)
    assert user is not None
    if account.get("superuser"):
        assert user.is_superuser
    else:
        assert user.memberships.get().role == account["role"]


def test_the_ddt_referent_sees_the_private_project_of_saint_ouen(demo):
    referent = User.objects.get(email="referent.ddt93@demo.ecoquartier.fr")
    outsider = User.objects.get(email="partenaire.amf@demo.ecoquartier.fr")
    private = Project.objects.get(is_public=False, communes__code="93070")
    assert private in visible_projects(referent)
    assert private not in visible_projects(outsider)


def test_demo_accounts_prints_one_line_per_role(demo, capsys):
    call_command("demo_accounts")
    output = capsys.readouterr().out
    for account in read()["accounts"]:
        assert account["email"] in output
    assert PASSWORD in output
    assert "Ville de Saint-Ouen-sur-Seine" in output


def test_load_demo_explains_that_territories_are_missing(db):
    with pytest.raises(CommandError, match="import_territories"):
        call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_load_demo_refuses_to_run_in_production(settings):
    settings.IS_PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("load_demo")


def test_a_step_whose_module_does_not_exist_yet_is_skipped(db):
    assert import_step("ecoquartier.nowhere.demo") is None
    assert import_step("ecoquartier.projects.nowhere") is None
    assert list(run_steps(["ecoquartier.nowhere.demo"])) == [("ecoquartier.nowhere.demo", None)]


def test_state_services_seeded_before_the_demo_are_reused(demo_territories):
    state_services = pytest.importorskip("ecoquartier.organisations.state_services")
    state_services.seed_state_services()
    before = Organisation.objects.state_services().count()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Organisation.objects.state_services().count() == before


def test_the_demo_satisfies_every_check_constraint(demo):
    """The demo loaded into a migrated database, with every CHECK of core/constraints.py:
    each row the demo wrote passed them (checked here once more, model by model)."""
    from django.apps import apps
    from django.db.models import CheckConstraint, Q

    checked = 0
    for config in apps.get_app_configs():
        if not config.name.startswith("ecoquartier."):
            continue
        for model in config.get_models():
            for constraint in model._meta.constraints:
                if isinstance(constraint, CheckConstraint):
                    assert not model.objects.exclude(Q(constraint.condition)).exists(), (
                        f"{model._meta.label}: rows break {constraint.name}"
                    )
                    checked += 1
    assert checked > 80
