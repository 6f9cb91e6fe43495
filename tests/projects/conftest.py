import pytest

from ecoquartier.organisations.models import Membership
from ecoquartier.projects.taxonomy import load_taxonomy
from tests.organisations.factories import DdtFactory, MembershipFactory, OrganisationFactory
from tests.territories.factories import CommuneFactory, DepartementFactory


@pytest.fixture
def taxonomy(db):
    load_taxonomy()


@pytest.fixture
def commune(db):
    return CommuneFactory(code="93070", name="Saint-Ouen-sur-Seine", population=53615)


@pytest.fixture
def town_hall(commune):
    return OrganisationFactory(territory=commune, name="Commune de Saint-Ouen-sur-Seine")


@pytest.fixture
def holder(town_hall):
    """A member of the town hall that holds the project."""
    return MembershipFactory(organisation=town_hall).user


@pytest.fixture
def outsider(db):
    """A member of another organisation."""
    return MembershipFactory().user


@pytest.fixture
def referent(commune):
    """The DDT referent of the project's département."""
    ddt = DdtFactory(territory=commune.departement)
    return MembershipFactory(organisation=ddt, role=Membership.Role.STATE_REFERENT).user


@pytest.fixture
def other_referent(db):
    """A DDT referent of another département."""
    ddt = DdtFactory(territory=DepartementFactory())
    return MembershipFactory(organisation=ddt, role=Membership.Role.STATE_REFERENT).user
