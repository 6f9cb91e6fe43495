"""Factories and a ready-made two-step call for application tests."""

from dataclasses import dataclass
from datetime import timedelta

import factory
from django.utils import timezone

from ecoquartier.applications import services
from ecoquartier.applications.models import Application, Criterion, Review, State
from ecoquartier.calls.models import Call, CallStep
from ecoquartier.organisations.models import Membership, Organisation
from tests.accounts.factories import UserFactory
from tests.calls.factories import CallFactory, ThemeFactory
from tests.organisations.factories import DdtFactory, MembershipFactory, OrganisationFactory
from tests.projects.factories import ProjectFactory


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    label = factory.Sequence(lambda n: f"Critère {n}")
    weight = 1
    descriptors = ["0", "1", "2", "3", "4", "5"]


def member(organisation, role=Membership.Role.PROJECT_HOLDER, **user):
    return MembershipFactory(organisation=organisation, role=role, user=UserFactory(**user)).user


@dataclass
class World:
    call: Call
    intention: CallStep
    full_file: CallStep
    manager: object
    commune: Organisation
    holder: object
    ddt: Organisation
    referent: object
    outsider: object
    project: object
    reviewers: list


def publish_forms(call, manager, steps):
    for step in steps:
        key = "intention" if step.kind == CallStep.Kind.INTENTION else "application"
        services.create_form_from_template(manager, step, key, publish=True)


def build_world(geo, *, two_step=True):
    """A published PACA call with an intention note and a full file, its manager, the commune of
    Reillanne with a holder and a project, the DDT of the Alpes-de-Haute-Provence with a referent,
    two reviewers and an outsider."""
    now = timezone.now()
    call = CallFactory(perimeter=geo.paca, deadline=False, title="AMI Quartiers durables")
    intention = CallStep.objects.create(
        call=call, kind=CallStep.Kind.INTENTION, deadline=now + timedelta(days=20)
    )
    full_file = CallStep.objects.create(
        call=call, kind=CallStep.Kind.APPLICATION, deadline=now + timedelta(days=60)
    )
    manager = member(call.programme.owner, Membership.Role.PROGRAMME_MANAGER)
    publish_forms(call, manager, [intention, full_file] if two_step else [full_file])
    commune = OrganisationFactory(territory=geo.reillanne, name="Commune de Reillanne")
    holder = member(commune)
    ddt = DdtFactory(territory=geo.alpes_hp, name="DDT des Alpes-de-Haute-Provence")
    referent = member(ddt, Membership.Role.STATE_REFERENT)
    theme = ThemeFactory(slug="entrees-de-ville", label="Entrées de ville")
    project = ProjectFactory(holders=[commune], name="Écoquartier des Aires")
    project.themes.add(theme)
    call.priority_links.create(theme=theme, bonus=2)
    for i, (label, weight) in enumerate([("Ambition", 3), ("Gouvernance", 1)]):
        CriterionFactory(call=call, label=label, weight=weight, position=i)
    reviewers = [UserFactory(), UserFactory()]
    return World(
        call, intention, full_file, manager, commune, holder, ddt, referent, UserFactory(),
        project, reviewers,
    )  # fmt: skip


INTENTION_ANSWERS = {
    "summary": "Un quartier de centre-bourg.",
    "urbanity": "Rural",
    "motivation": "Être accompagnés.",
}


def submitted_application(world, state=None):
    """An application whose intention note is submitted (then moved to `state` directly)."""
    from ecoquartier.core import workflows

    application = services.start_application(world.holder, world.call, world.commune, world.project)
    services.save_answers(world.holder, application, INTENTION_ANSWERS)
    application = workflows.fire(application, "submit", world.holder)
    if state:
        Application.objects.filter(pk=application.pk).update(state=state)
        application.refresh_from_db()
    return application


def review_for(application, reviewer):
    return Review.objects.create(application=application, reviewer=reviewer)


@dataclass
class NationalWorld:
    call: Call
    manager: object
    dgaln: Organisation
    saint_ouen: Organisation
    holder: object
    docks: object


def build_national_call():
    """The demo's personas around a national call of a DGALN programme (forms and grid ready):
    its manager gestionnaire.dgaln@demo.ecoquartier.fr; the commune of Saint-Ouen-sur-Seine,
    its holder porteur.saint-ouen@demo.ecoquartier.fr and its project, the Docks; three
    applications of other communes (two submitted, one under review)."""
    from ecoquartier.core import workflows
    from ecoquartier.projects.models import Project
    from ecoquartier.territories.services import france
    from tests.calls.factories import ProgrammeFactory
    from tests.territories.factories import CommuneFactory, DepartementFactory, RegionFactory

    idf = RegionFactory(code="11", name="Île-de-France")
    d93 = DepartementFactory(code="93", name="Seine-Saint-Denis", region=idf)
    commune = CommuneFactory(
        code="93070", name="Saint-Ouen-sur-Seine", population=52_000, departement=d93
    )
    dgaln = OrganisationFactory(
        kind=Organisation.Kind.DGALN, territory=france(), name="DGALN",
        has_planning_competence=False,
    )  # fmt: skip
    manager = member(
        dgaln, Membership.Role.PROGRAMME_MANAGER, email="gestionnaire.dgaln@demo.ecoquartier.fr"
    )
    programme = ProgrammeFactory(owner=dgaln, name="Appels des partenaires")
    call = CallFactory(
        programme=programme, perimeter=france(), deadline=False,
        title="Appel à projets Quartiers de demain",
    )  # fmt: skip
    step = CallStep.objects.create(
        call=call, kind=CallStep.Kind.APPLICATION, deadline=timezone.now() + timedelta(days=60)
    )
    services.build_form(step, "intention", publish=True)
    services.build_default_grid(call)
    saint_ouen = OrganisationFactory(territory=commune, name="Commune de Saint-Ouen-sur-Seine")
    holder = member(saint_ouen, email="porteur.saint-ouen@demo.ecoquartier.fr")
    docks = ProjectFactory(
        holders=[saint_ouen], communes=[commune], name="Écoquartier des Docks",
        stage=Project.Stage.OPERATIONAL,
    )  # fmt: skip
    for i, state in enumerate((None, None, State.UNDER_REVIEW)):
        other = OrganisationFactory(
            territory=CommuneFactory(departement=d93), name=f"Commune candidate {i}"
        )
        applicant = member(other)
        application = services.start_application(applicant, call, other)
        services.save_answers(applicant, application, INTENTION_ANSWERS)
        application = workflows.fire(application, "submit", applicant)
        if state:
            Application.objects.filter(pk=application.pk).update(state=state)
    return NationalWorld(call, manager, dgaln, saint_ouen, holder, docks)
