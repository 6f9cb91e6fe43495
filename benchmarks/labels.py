"""Label key figures at scale (issue 6): every bench project (5,000 in the large dataset) holds a
label stage, spread over both schemes and the régions of its commune.

Plugs into the bench as one dataset step and a few scenarios, the way benchmarks/calls.py does:

    # benchmarks/datasets.py          from benchmarks import labels;  STEPS.append(labels.STEP)
    # benchmarks/scenarios.py         SCENARIOS += labels.SCENARIOS

Until then `python -m benchmarks.labels` measures them on their own, with the bench's own worker
code (datasets.ensure, measure.measure) and the same pass/fail rules (queries must not grow with
the data; median ≤ target × the bare DSFR view). Set BENCH_DATABASE_URL to choose the database.
"""

import sys

from benchmarks.sample import SAMPLE_SLUG, SLUG_PREFIX

TARGET = 3.0
BATCH = 1000


def build_labels():
    """One ProjectLabel (and its history step) per bench project; idempotent."""
    from datetime import date

    from django.db import transaction

    from ecoquartier.core.generations import bump
    from ecoquartier.labels.models import LabelStage, LabelStep, ProjectLabel
    from ecoquartier.labels.schemes import load_schemes
    from ecoquartier.projects.models import Project

    load_schemes()
    stages = list(LabelStage.objects.order_by("scheme__applies_from", "position"))
    regions = dict(
        Project.communes.through.objects.filter(project__slug__startswith=SLUG_PREFIX).values_list(
            "project_id", "territory__region_id"
        )
    )
    done = set(ProjectLabel.objects.values_list("project_id", flat=True))
    todo = [pk for pk in sorted(regions) if pk not in done]
    with transaction.atomic():
        steps = [
            LabelStep(
                project_id=pk, stage=stages[i % len(stages)], decided_on=date(2016 + i % 9, 12, 1),
                year=2016 + i % 9, deciding_body="Commission nationale ÉcoQuartier",
                decision_reference=f"BENCH-{pk}",
            )
            for i, pk in enumerate(todo)
        ]  # fmt: skip
        LabelStep.objects.bulk_create(steps, batch_size=BATCH)
        bump("labels")  # A bulk write sends no signal.
        ProjectLabel.objects.bulk_create(
            (
                ProjectLabel(project_id=s.project_id, stage=s.stage, year=s.year,
                             region_id=regions[s.project_id])
                for s in steps
            ),
            batch_size=BATCH,
        )  # fmt: skip
    return len(todo)


def _step():
    from benchmarks.datasets import Step

    return Step("labels", lambda ds: f"v1:{ds.projects}", lambda ds: build_labels())


def scenarios():
    from benchmarks.scenarios import Scenario

    return [
        Scenario("label key figures", "/label/chiffres-cles/", target=TARGET),
        Scenario("label page of a project", f"/label/projets/{SAMPLE_SLUG}/", target=TARGET),
        Scenario("label home", "/label/", target=TARGET),
        # Visitors get a project's label history from the visitors' cache; this row empties it
        # before each request: what the first visitor after an award waits.
        Scenario(
            "label page of a project, cache miss",
            f"/label/projets/{SAMPLE_SLUG}/",
            target=None,
            cold=True,
        ),
    ]


def __getattr__(name):
    # Lazy, so that importing this module never needs Django set up (the runner imports it).
    if name == "STEP":
        return _step()
    if name == "SCENARIOS":
        return scenarios()
    raise AttributeError(name)


# --- Standalone run ---------------------------------------------------------------------------


def _chosen():
    from benchmarks import scenarios as base

    return [s for s in base.SCENARIOS if s.is_baseline and s.user is None] + scenarios()


def _worker(dataset, rounds):
    from benchmarks import domain

    domain.setup(dataset, lambda: [_step()])
    from benchmarks import measure
    from ecoquartier.labels.models import ProjectLabel

    return {
        "labelled": ProjectLabel.objects.count(),
        "scenarios": measure.measure(_chosen(), rounds),
    }


def main(argv=None):
    from benchmarks import domain

    description = "Label key figures benchmark (issue 6)."
    return domain.main("benchmarks.labels", description, _worker, _report, argv)


def _report(results):
    from benchmarks import domain

    small, large = results["small"], results["large"]
    rows = domain.compare(small["scenarios"], large["scenarios"], _chosen())
    title = f"Label: {large['labelled']} labelled projects vs {small['labelled']}."
    failed = domain.print_table(title, rows, f"{small['labelled']}/{large['labelled']} labelled")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
