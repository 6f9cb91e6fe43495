"""The indicator pages cache what they compute (views._reading, _comparison, _board_groups);
these tests read a page, change what it depends on through the app's own paths, and read it
again: a new value, a right gained or lost, a name changed show at once — and a comparison
cached for a reader who read restricted values is never served to one who does not."""

import datetime
import re

import pytest
from django.urls import reverse

from ecoquartier.indicators import loader, services
from ecoquartier.organisations.models import Membership
from tests.accounts.factories import UserFactory
from tests.organisations.factories import MembershipFactory, OrganisationFactory
from tests.projects.factories import ProjectFactory
from tests.referentiel.factories import load_current

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene():
    """Six similar public projects, each with a restricted measurement of 90 held by its own
    commune and a public one of 10 dated before: a holder of all reads a median of 90, anyone
    else of 10."""
    load_current()
    indicator = loader.load(loader.DATA_DIR / "2023.yaml").indicator_set.indicators.get(
        code="SO-05"
    )
    commune = OrganisationFactory()
    holder = MembershipFactory(organisation=commune, user=UserFactory()).user
    mine, *others = [ProjectFactory(holders=[commune], is_public=True) for _ in range(7)]
    for project in others:
        project.stage = mine.stage
        project.save()
        services.record_value(
            holder, project, indicator, kind="measurement", value=10, date=datetime.date(2023, 1, 1)
        )
        services.record_value(
            holder, project, indicator, kind="measurement", value=90,
            date=datetime.date(2024, 1, 1), visibility="restricted",
        )  # fmt: skip
    return {"indicator": indicator, "commune": commune, "holder": holder, "mine": mine}


def _median(client, scene):
    url = reverse("indicators:indicator", args=[scene["mine"].slug, scene["indicator"].code])
    text = client.get(url).content.decode()
    found = re.search(r"la médiane est de ([\d,]+)", text)
    return found.group(1) if found else None


def test_a_comparison_cached_for_a_holder_is_not_served_once_it_is_no_longer_one(client, scene):
    client.force_login(scene["holder"])
    assert _median(client, scene) == "90"
    Membership.objects.filter(user=scene["holder"]).delete()  # leaves the commune
    client.force_login(scene["holder"])
    assert _median(client, scene) == "10"


def test_a_stranger_never_reads_the_holders_comparison(client, scene):
    client.force_login(scene["holder"])
    assert _median(client, scene) == "90"
    client.force_login(UserFactory())
    assert _median(client, scene) == "10"


def test_a_right_gained_shows_at_once(client, scene):
    newcomer = UserFactory()
    client.force_login(newcomer)
    assert _median(client, scene) == "10"
    MembershipFactory(organisation=scene["commune"], user=newcomer)
    client.force_login(newcomer)
    assert _median(client, scene) == "90"


def test_a_value_recorded_and_a_project_renamed_show_at_once(client, scene):
    client.force_login(scene["holder"])
    board = reverse("indicators:board", args=[scene["mine"].slug])
    page = reverse("indicators:indicator", args=[scene["mine"].slug, scene["indicator"].code])
    assert "437 kWhEP" not in client.get(board).content.decode()
    assert "437 kWhEP" not in client.get(page).content.decode()
    services.record_value(
        scene["holder"], scene["mine"], scene["indicator"], kind="measurement", value=437,
        date=datetime.date(2024, 6, 1),
    )  # fmt: skip
    assert "437 kWhEP" in client.get(board).content.decode()
    assert "437 kWhEP" in client.get(page).content.decode()
    scene["mine"].name = "Quartier renommé"
    scene["mine"].save()
    assert "Quartier renommé —" in client.get(page).content.decode()
