"""A selected application in the PACA call of tests/applications (its manager, the commune of
Reillanne and its holder, the DDT and its referent), a Cerema operator with an expert, and the
follow-up opened from it."""

from dataclasses import dataclass
from datetime import date

from ecoquartier.applications.models import State
from ecoquartier.followup import services
from ecoquartier.followup.models import FollowUp, MilestoneTemplate
from ecoquartier.organisations.models import Membership, Organisation
from tests.accounts.factories import UserFactory
from tests.applications.factories import build_world, member, submitted_application
from tests.calls.factories import OperatorFactory


@dataclass
class Support:
    world: object  # tests.applications.factories.World
    application: object
    cerema: Organisation
    expert: object
    follow_up: FollowUp | None

    @property
    def manager(self):
        return self.world.manager

    @property
    def holder(self):
        return self.world.holder

    @property
    def referent(self):
        return self.world.referent

    @property
    def outsider(self):
        return self.world.outsider


PHASES = (
    ("Cadrage", 3, ["Note de cadrage"]),
    ("Diagnostic", 9, ["Diagnostic partagé"]),
    ("Stratégie", 18, []),
    ("Plan d'actions", 30, ["Plan d'actions"]),
)


def phase_plan(programme):
    return MilestoneTemplate.objects.bulk_create(
        MilestoneTemplate(programme=programme, order=i, title=title, offset_months=months,
                          deliverables=deliverables)
        for i, (title, months, deliverables) in enumerate(PHASES)
    )  # fmt: skip


def build_support(geo, *, open_it=True, starts_on=date(2025, 1, 1), days_budget=36):
    """The world of tests/applications with its application selected and (by default) its
    follow-up opened by the manager: 36 days over three years from 1 January 2025, the Cerema as
    operator with one named expert, the programme's four-phase plan."""
    world = build_world(geo)
    application = submitted_application(world, State.SELECTED)
    cerema = OperatorFactory(name="Cerema Méditerranée", acronym="Cerema")
    expert = member(cerema, Membership.Role.EXPERT, first_name="Chloé", last_name="Expert")
    phase_plan(world.call.programme)
    follow_up = None
    if open_it:
        follow_up = services.open_follow_up(
            world.manager, programme=world.call.programme, project=world.project,
            beneficiary=world.commune, application=application, coordinator=cerema,
            experts=[expert], starts_on=starts_on, ends_on=date(starts_on.year + 3, 1, 1),
            days_budget=days_budget,
        )  # fmt: skip
    return Support(world, application, cerema, expert, follow_up)


def stranger():
    return UserFactory()
