"""Most assessments are self-assessments, without a lead expert: the index of lead experts is
partial (migration 0006), so that SQLite's statistics — built over every row, mostly empty — do
not make it read every assessment to find an expert's (the holder's gap list took 3.4 ms of SQL
at 10× on SQLite, 0.02 ms with it)."""

import pytest
from django.db import connection

from ecoquartier.assessments.models import Assessment
from tests.accounts.factories import UserFactory
from tests.assessments.factories import AssessmentFactory

pytestmark = pytest.mark.django_db


def test_an_expert_s_assessments_are_found_through_the_partial_index(referentiel):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's planner (PostgreSQL keeps the share of empty values apart)")
    expert = UserFactory()
    first = AssessmentFactory(lead_expert=expert)
    Assessment.objects.bulk_create(
        Assessment(project=first.project, version=first.version, kind="self", title=f"Auto {i}",
                   assessed_on=first.assessed_on)
        for i in range(300)
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    led = Assessment.objects.filter(lead_expert=expert).values("project_id")
    sql, params = led.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "USING INDEX assessment_lead_expert (" in plan and "SCAN" not in plan, plan
    assert list(led) == [{"project_id": first.project_id}]
