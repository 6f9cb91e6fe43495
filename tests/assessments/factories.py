"""Assessments and the cast around a project: holder, outsider, State referent, experts, the
national programme manager and one of another région."""

from dataclasses import dataclass

import factory

from ecoquartier.assessments.models import Answer, Assessment, DimensionSynthesis, Gap
from ecoquartier.organisations.models import Membership, Organisation
from ecoquartier.referentiel.models import Commitment, ReferentielVersion
from ecoquartier.territories.services import france
from tests.organisations.factories import (
    DdtFactory,
    DrealFactory,
    MembershipFactory,
    OrganisationFactory,
)
from tests.projects.factories import ProjectFactory


class AssessmentFactory(factory.django.DjangoModelFactory):
    """An assessment with its empty answers and syntheses, as services.create_assessment makes."""

    class Meta:
        model = Assessment
        skip_postgeneration_save = True

    project = factory.SubFactory(ProjectFactory)
    version = factory.LazyFunction(lambda: ReferentielVersion.objects.current())
    kind = Assessment.Kind.SELF_ASSESSMENT
    assessed_on = factory.Faker("date_this_decade")

    @factory.post_generation
    def rows(obj, create, extracted, **kwargs):
        if not create:
            return
        commitments = Commitment.objects.of_version(obj.version)
        Answer.objects.bulk_create(Answer(assessment=obj, commitment=c) for c in commitments)
        DimensionSynthesis.objects.bulk_create(
            DimensionSynthesis(assessment=obj, dimension=d) for d in obj.version.dimensions.all()
        )


def answer(assessment, number):
    return assessment.answers.select_related("commitment").get(commitment__number=number)


def answer_all(assessment, level=3, narrative="Analyse détaillée de l'engagement."):
    assessment.answers.update(level=level, narrative=narrative)


def add_gap(assessment, number, **fields):
    fields.setdefault("description", "Pas de plan de gestion des espaces verts.")
    fields.setdefault("proposal", "Rédiger un plan de gestion différenciée avec les services.")
    return Gap.objects.create(answer=answer(assessment, number), **fields)


@dataclass
class Cast:
    project: object
    holder: object
    outsider: object
    referent: object
    lead_expert: object
    co_expert: object
    unassigned_expert: object
    manager: object
    # A programme manager of a DREAL of another région (manager, but not of this territory).
    other_region_manager: object


def member(organisation, role):
    return MembershipFactory(organisation=organisation, role=role).user


def cast(is_public=False):
    """A project held by a commune, and everyone around it."""
    commune = OrganisationFactory()
    project = ProjectFactory(holders=[commune], is_public=is_public, name="Écoquartier des Docks")
    ddt = DdtFactory(territory=commune.territory.departement)
    cerema = OrganisationFactory(
        kind=Organisation.Kind.PUBLIC_OPERATOR, territory=None, name="Cerema", acronym="Cerema"
    )
    dgaln = OrganisationFactory(kind=Organisation.Kind.DGALN, territory=france(), name="DGALN")
    return Cast(
        project=project,
        holder=member(commune, Membership.Role.PROJECT_HOLDER),
        outsider=member(OrganisationFactory(), Membership.Role.PROJECT_HOLDER),
        referent=member(ddt, Membership.Role.STATE_REFERENT),
        lead_expert=member(cerema, Membership.Role.EXPERT),
        co_expert=member(cerema, Membership.Role.EXPERT),
        unassigned_expert=member(cerema, Membership.Role.EXPERT),
        manager=member(dgaln, Membership.Role.PROGRAMME_MANAGER),
        other_region_manager=member(DrealFactory(), Membership.Role.PROGRAMME_MANAGER),
    )


def mock_expertise(people, **kwargs):
    assessment = AssessmentFactory(
        project=people.project,
        kind=Assessment.Kind.MOCK_EXPERTISE,
        lead_expert=people.lead_expert,
        **kwargs,
    )
    assessment.co_experts.set([people.co_expert])
    return assessment
