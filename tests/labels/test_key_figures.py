"""The public key figures: right numbers, and the same number of queries for 3 or 5,000
labelled projects."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ecoquartier.labels import figures
from ecoquartier.labels.models import LabelStage, ProjectLabel
from ecoquartier.labels.schemes import load_schemes
from ecoquartier.projects.models import Project
from tests.territories.factories import RegionFactory

pytestmark = pytest.mark.django_db


def labelled(count, regions, start=0):
    """`count` projects spread over stages and régions, in bulk."""
    stages = list(LabelStage.objects.order_by("pk"))
    projects = Project.objects.bulk_create(
        Project(
            name=f"Projet {i}", slug=f"projet-{i}", dwellings=100, social_dwellings=25,
            is_public=True,
        )
        for i in range(start, start + count)
    )  # fmt: skip
    ProjectLabel.objects.bulk_create(
        ProjectLabel(
            project=p, stage=stages[i % len(stages)], year=2024, region=regions[i % len(regions)]
        )
        for i, p in enumerate(projects)
    )


def count_queries(client, cold=True):
    if cold:
        figures.forget_key_figures()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("labels:key_figures"))
    assert response.status_code == 200
    return len(captured), response


def test_key_figures_are_right(client):
    load_schemes()
    regions = [RegionFactory(name="Bretagne"), RegionFactory(name="Occitanie")]
    labelled(4, regions)
    _, response = count_queries(client)
    assert response.context["totals"]["projects"] == 4
    assert response.context["totals"]["dwellings"] == 400
    assert response.context["social_share"] == 25.0
    assert [(r["region"], r["projects"]) for r in response.context["per_region"]] == [
        ("Bretagne", 2), ("Occitanie", 2),
    ]  # fmt: skip


def test_key_figures_are_bounded_with_5000_projects(client):
    load_schemes()
    regions = [RegionFactory() for _ in range(13)]
    labelled(3, regions)
    small, _ = count_queries(client)
    labelled(4997, regions, start=3)
    large, response = count_queries(client)
    assert response.context["totals"]["projects"] == 5000
    assert large == small <= 6


def test_key_figures_are_cached_until_a_label_step_is_recorded(
    client, django_capture_on_commit_callbacks
):
    from datetime import date

    from ecoquartier.labels import services
    from tests.projects.factories import ProjectFactory

    load_schemes()
    labelled(2, [RegionFactory(name="Bretagne")])
    cold, _ = count_queries(client)
    warm, response = count_queries(client, cold=False)
    assert warm < cold and response.context["totals"]["projects"] == 2
    with django_capture_on_commit_callbacks(execute=True):
        services.record_step(
            None, ProjectFactory(), LabelStage.objects.get(code="livre"),
            decided_on=date(2024, 11, 28), deciding_body="CN", reference="R",
        )  # fmt: skip
    _, response = count_queries(client, cold=False)
    assert response.context["totals"]["projects"] == 3
