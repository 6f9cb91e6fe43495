"""A project's own indicators: its holders add them (French messages, activity log); they show
on its board and take values like the national ones; no one else adds any."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from ecoquartier.core.models import ActivityEvent
from ecoquartier.indicators import loader, services
from ecoquartier.indicators.models import Indicator
from tests.accounts.factories import UserFactory
from tests.organisations.factories import MembershipFactory, OrganisationFactory
from tests.projects.factories import ProjectFactory
from tests.referentiel.factories import load_current

pytestmark = pytest.mark.django_db

TREES = {"name": "Arbres plantés", "unit": "arbres", "challenge": "resilience",
         "direction": "higher", "precision": 0, "min_value": Decimal(0)}  # fmt: skip


@pytest.fixture
def setting():
    load_current()
    loader.load(loader.DATA_DIR / "2023.yaml")
    commune = OrganisationFactory()
    holder = MembershipFactory(organisation=commune, user=UserFactory()).user
    return {"project": ProjectFactory(holders=[commune], is_public=True), "holder": holder}


def test_a_holder_adds_an_indicator_of_the_project_s_own_and_records_on_it(setting):
    project, holder = setting["project"], setting["holder"]
    first = services.add_custom_indicator(holder, project, **TREES)
    second = services.add_custom_indicator(holder, project, **{**TREES, "name": "Nichoirs"})
    assert (first.code, second.code) == (f"P{project.pk}-1", f"P{project.pk}-2")
    assert first.project == project and not first.is_national and not first.label_base
    services.record_value(holder, project, first, kind="target", value=120, year=2030)
    assert ActivityEvent.objects.filter(verb="indicator.custom_added").count() == 2
    with pytest.raises(ValidationError):
        services.record_value(holder, project, first, kind="measurement", value=-3,
                              date=datetime.date(2025, 1, 1))  # fmt: skip


def test_no_one_else_adds_one_and_bounds_must_be_ordered(setting):
    with pytest.raises(PermissionDenied):
        services.add_custom_indicator(UserFactory(), setting["project"], **TREES)
    with pytest.raises(ValidationError) as error:
        services.add_custom_indicator(
            setting["holder"], setting["project"], **{**TREES, "max_value": Decimal(-1)}
        )
    assert "supérieur au minimum" in str(error.value)
    assert not Indicator.objects.filter(project=setting["project"]).exists()


def test_from_the_board_to_the_new_indicator_s_page(client, setting):
    project = setting["project"]
    client.force_login(setting["holder"])
    board = client.get(reverse("indicators:board", args=[project.slug])).content.decode()
    add = reverse("indicators:custom_add", args=[project.slug])
    assert add in board
    response = client.post(add, {**TREES, "min_value": "0", "max_value": "", "precision": "0"})
    indicator = Indicator.objects.get(project=project)
    assert response.url == reverse("indicators:indicator", args=[project.slug, indicator.code])
    assert (
        "Arbres plantés"
        in client.get(reverse("indicators:board", args=[project.slug])).content.decode()
    )
    refused = client.post(add, {**TREES, "name": "", "min_value": "5", "max_value": "1"})
    assert refused.status_code == 400
    text = refused.content.decode()
    assert (
        "Le maximum doit être supérieur au minimum." in text or "Ce champ est obligatoire" in text
    )
    client.force_login(UserFactory())
    assert client.get(add).status_code == 403
