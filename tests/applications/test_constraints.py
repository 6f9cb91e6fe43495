"""A criterion weight of 999,999 (finding 11 of issue 10: SQLite kept it, PostgreSQL's smallint
refused it on restore) is refused by the form in French and by both databases."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import DataError, IntegrityError, transaction
from django.urls import reverse

from ecoquartier.applications import services
from ecoquartier.applications.models import Application, Criterion
from ecoquartier.core.activity import timeline

pytestmark = pytest.mark.django_db
# A CHECK violation (IntegrityError), or PostgreSQL's smallint itself (DataError).
REFUSED = (IntegrityError, DataError)


def test_the_database_refuses_a_criterion_weight_of_999999(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Criterion.objects.filter(call=world.call).update(weight=101)
    with pytest.raises(REFUSED), transaction.atomic():
        Criterion.objects.filter(call=world.call).update(weight=999_999)


def test_the_database_refuses_a_state_outside_the_choices_and_a_smallint_overflow(world):
    from tests.applications.factories import submitted_application

    submitted_application(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.update(state="nimporte-quoi")
    with pytest.raises(REFUSED), transaction.atomic():
        Criterion.objects.update(position=40_000)


def test_the_grid_refuses_a_weight_of_999999_with_a_french_message(client, world):
    criteria = list(Criterion.objects.filter(call=world.call))
    data = {"criteria-TOTAL_FORMS": len(criteria), "criteria-INITIAL_FORMS": len(criteria)}
    for i, criterion in enumerate(criteria):
        data.update(
            {
                f"criteria-{i}-id": criterion.pk,
                f"criteria-{i}-label": criterion.label,
                f"criteria-{i}-description": "",
                f"criteria-{i}-weight": criterion.weight,
                f"criteria-{i}-scale": "",
            }
        )
    data["criteria-0-weight"] = "999999"
    client.force_login(world.manager)
    response = client.post(reverse("applications:grid", args=[world.call.slug]), data)
    assert response.status_code == 200
    assert "Assurez-vous que cette valeur est inférieure ou égale à 100." in (
        response.content.decode()
    )
    assert not Criterion.objects.filter(weight__gt=100).exists()


def test_the_grid_service_takes_rows_and_logs_the_change(world):
    first, *_others = Criterion.objects.filter(call=world.call)
    rows = [
        {"pk": first.pk, "delete": False, "values": {"weight": 7}},
        {"pk": None, "delete": False, "values": {"label": "Sobriété", "weight": 2}},
    ]
    services.save_grid(world.manager, world.call, rows)
    assert Criterion.objects.get(pk=first.pk).weight == 7
    assert Criterion.objects.filter(call=world.call, label="Sobriété").exists()
    assert timeline(world.call)[0].verb == "call.grid_saved"
    with pytest.raises(PermissionDenied):
        services.save_grid(world.holder, world.call, [])
