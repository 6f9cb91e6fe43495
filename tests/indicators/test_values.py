"""Recording values: bounds, decimals and dates checked with French messages; who may."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ecoquartier.core.models import ActivityEvent
from ecoquartier.indicators import loader, services
from ecoquartier.indicators.models import IndicatorValue
from tests.accounts.factories import UserFactory
from tests.organisations.factories import MembershipFactory, OrganisationFactory
from tests.projects.factories import ProjectFactory
from tests.referentiel.factories import load_current

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    load_current()
    indicators = loader.load(loader.DATA_DIR / "2023.yaml").indicator_set.indicators
    commune = OrganisationFactory()
    holder = MembershipFactory(organisation=commune, user=UserFactory()).user
    return {
        "project": ProjectFactory(holders=[commune]),
        "holder": holder,
        "share": indicators.get(code="CC-04"),  # %, 0–100, 1 decimal
        "dwellings": indicators.get(code="CC-03"),  # whole number
    }


def messages(error):
    return {field: list(texts) for field, texts in error.value.message_dict.items()}


def test_a_holder_records_a_target_and_a_measurement_logged_on_the_project(setting):
    services.record_value(
        setting["holder"], setting["project"], setting["share"], kind="target", value="30",
        year=2030,
    )  # fmt: skip
    row = services.record_value(
        setting["holder"], setting["project"], setting["share"], kind="measurement",
        value="22,5", date=datetime.date(2025, 6, 1), quality="estimated",
        source="Bailleurs sociaux", visibility="restricted",
    )  # fmt: skip
    assert row.value == Decimal("22.5")
    assert IndicatorValue.objects.count() == 2
    event = ActivityEvent.objects.filter(verb="indicator.value_recorded").latest("pk")
    assert "22,5" in event.summary and "%" in event.summary


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("120", "La valeur doit être comprise entre 0,0 et 100,0 %."),
        ("-1", "La valeur doit être comprise entre 0,0 et 100,0 %."),
        ("douze", "Saisissez un nombre."),
        ("12,25", "Au plus 1 décimale(s) pour cet indicateur."),
    ],
)
def test_out_of_bounds_and_bad_numbers_are_refused_in_french(setting, value, message):
    with pytest.raises(ValidationError) as error:
        services.record_value(
            setting["holder"], setting["project"], setting["share"], kind="measurement",
            value=value, date=datetime.date(2025, 1, 1),
        )  # fmt: skip
    assert messages(error) == {"value": [message]}
    assert not IndicatorValue.objects.exists()


def test_a_count_must_be_whole(setting):
    with pytest.raises(ValidationError) as error:
        services.record_value(
            setting["holder"], setting["project"], setting["dwellings"], kind="baseline",
            value="10.5", date=datetime.date(2020, 1, 1),
        )  # fmt: skip
    assert messages(error) == {"value": ["Saisissez un nombre entier de logements."]}


def test_dates_and_years(setting):
    args = (setting["holder"], setting["project"], setting["share"])
    with pytest.raises(ValidationError) as error:
        services.record_value(*args, kind="target", value=30)
    assert messages(error) == {"year": ["Indiquez l'année de l'objectif."]}
    with pytest.raises(ValidationError) as error:
        services.record_value(
            *args, kind="measurement", value=30, date=datetime.date.today()
            + datetime.timedelta(days=2),
        )  # fmt: skip
    assert messages(error) == {"date": ["Une mesure ne peut pas être datée dans le futur."]}


def test_only_holders_record_values(setting):
    with pytest.raises(PermissionDenied):
        services.record_value(
            UserFactory(), setting["project"], setting["share"], kind="target", value=30,
            year=2030,
        )  # fmt: skip


def test_a_change_keeps_the_former_value_in_the_log(setting):
    row = services.record_value(
        setting["holder"], setting["project"], setting["share"], kind="target", value=30,
        year=2030,
    )  # fmt: skip
    services.change_value(setting["holder"], row, {"value": "35"})
    row.refresh_from_db()
    assert (row.value, row.version) == (Decimal(35), 2)
    event = ActivityEvent.objects.get(verb="indicator.value_changed")
    assert event.changes["value"] == ["30.0000", "35"]
