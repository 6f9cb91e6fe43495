import pytest
from django.core.exceptions import ValidationError

from ecoquartier.organisations.models import Organisation
from ecoquartier.organisations.validators import validate_siren
from tests.organisations.factories import MembershipFactory, OrganisationFactory
from tests.territories.factories import CommuneFactory, DepartementFactory


@pytest.mark.parametrize("siren", ["217500016", "130025265", "356000000", "200054781"])
def test_real_siren_numbers_are_valid(siren):
    validate_siren(siren)


@pytest.mark.parametrize(
    "siren", ["217500017", "12345678", "1234567890", "21750001A", "２１７５０００１６"]
)
def test_bad_siren_numbers_are_refused(siren):
    with pytest.raises(ValidationError):
        validate_siren(siren)


@pytest.mark.django_db
def test_an_organisation_with_a_bad_siren_does_not_validate():
    organisation = OrganisationFactory.build(territory=CommuneFactory(), siren="217500017")
    with pytest.raises(ValidationError) as error:
        organisation.full_clean()
    assert "siren" in error.value.message_dict


@pytest.mark.django_db
def test_a_commune_organisation_must_be_linked_to_a_commune():
    organisation = OrganisationFactory.build(territory=DepartementFactory())
    with pytest.raises(ValidationError) as error:
        organisation.full_clean()
    assert "territory" in error.value.message_dict


@pytest.mark.django_db
def test_memberships_keep_the_order_they_were_created_in():
    first = MembershipFactory()
    second = MembershipFactory(user=first.user)
    assert list(first.user.memberships.all()) == [first, second]


@pytest.mark.django_db
def test_planning_competence_and_kind_flags():
    commune = OrganisationFactory(has_planning_competence=True)
    assert commune.is_local_authority and not commune.is_state_service
    assert Organisation.objects.state_services().count() == 0
