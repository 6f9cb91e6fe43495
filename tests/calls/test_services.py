"""The call services take plain data (values and rows), never forms."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ecoquartier.calls import services
from ecoquartier.calls.models import Call, CallBenefit, CallStep
from ecoquartier.core.activity import timeline
from ecoquartier.organisations.models import Membership, Organisation
from tests.calls.factories import CallBenefitFactory, CallFactory, ProgrammeFactory
from tests.organisations.factories import MembershipFactory, OrganisationFactory


@pytest.fixture
def manager(geo):
    dreal = OrganisationFactory(kind=Organisation.Kind.DREAL, territory=geo.paca, name="DREAL")
    return MembershipFactory(organisation=dreal, role=Membership.Role.PROGRAMME_MANAGER).user


def test_a_programme_is_created_from_plain_values(manager):
    owner = manager.memberships.get().organisation
    partner = OrganisationFactory(kind=Organisation.Kind.DDT)
    programme = services.create_programme(
        manager,
        {"kind": "ami", "name": "Friches", "owner": owner, "partners": [partner]},
    )
    assert programme.slug == "friches" and list(programme.partners.all()) == [partner]
    assert [e.verb for e in timeline(programme)] == ["programme.created"]


def test_a_programme_cannot_be_owned_by_an_organisation_one_does_not_manage(manager):
    other = OrganisationFactory(kind=Organisation.Kind.DDT)
    with pytest.raises(PermissionDenied):
        services.create_programme(manager, {"kind": "ami", "name": "X", "owner": other})


def test_an_update_applies_rows_and_logs_what_changed(manager):
    programme = ProgrammeFactory(owner=manager.memberships.get().organisation)
    call = CallFactory(programme=programme)
    step = call.steps.get()
    benefit = CallBenefitFactory(call=call)
    later = timezone.now() + timedelta(days=90)
    services.update_call(
        manager,
        call,
        {"title": "Nouveau titre", "version": 1},
        {
            "steps": [{"pk": step.pk, "delete": False, "values": {"deadline": later}}],
            "benefits": [{"pk": benefit.pk, "delete": True, "values": {}}],
        },
        expected_version=1,
    )
    call.refresh_from_db()
    assert call.title == "Nouveau titre" and call.version == 2 and call.closes_at == later
    assert not CallBenefit.objects.filter(pk=benefit.pk).exists()
    [event] = [e for e in timeline(call) if e.verb == "call.updated"]
    assert event.changes == {"fields": ["title", "steps", "benefits"]}


def test_rows_of_another_call_are_refused(manager):
    programme = ProgrammeFactory(owner=manager.memberships.get().organisation)
    call, other = CallFactory(programme=programme), CallFactory()
    foreign = other.steps.get()
    with pytest.raises(ValidationError):
        services.update_call(
            manager,
            call,
            {},
            {"steps": [{"pk": foreign.pk, "delete": True, "values": {}}]},
            expected_version=1,
        )
    assert CallStep.objects.filter(pk=foreign.pk).exists()
    assert Call.objects.get(pk=call.pk).version == 1  # rolled back
