import factory

from ecoquartier.organisations.models import Membership, Organisation
from tests.accounts.factories import UserFactory
from tests.territories.factories import CommuneFactory, DepartementFactory, RegionFactory


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = Organisation.Kind.COMMUNE
    territory = factory.SubFactory(CommuneFactory)
    name = factory.LazyAttribute(lambda o: f"Commune de {o.territory.name}")
    has_planning_competence = True


class DdtFactory(OrganisationFactory):
    kind = Organisation.Kind.DDT
    territory = factory.SubFactory(DepartementFactory)
    name = factory.LazyAttribute(lambda o: f"DDT {o.territory.name}")
    has_planning_competence = False


class DrealFactory(OrganisationFactory):
    kind = Organisation.Kind.DREAL
    territory = factory.SubFactory(RegionFactory)
    name = factory.LazyAttribute(lambda o: f"DREAL {o.territory.name}")
    has_planning_competence = False


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.PROJECT_HOLDER
