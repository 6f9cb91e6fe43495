"""Assessments at scale (issue 3): every bench project (5,000 in the large dataset) holds a fully
answered self-assessment with gaps, and the sample project a second one to compare with.

Plugs into the bench as one dataset step and a few scenarios, the way benchmarks/calls.py does:

    # benchmarks/datasets.py    from benchmarks import assessments; STEPS.append(assessments.STEP)
    # benchmarks/scenarios.py   SCENARIOS += assessments.SCENARIOS

Until then `python -m benchmarks.assessments` measures them on their own, with the bench's own
worker code (datasets.ensure, measure.measure) and the same pass/fail rules (queries must not grow
with the data; median ≤ target × the bare DSFR view), and also times the PDF report of a fully
answered assessment (median over --pdf-rounds renders). Set BENCH_DATABASE_URL to choose the
database.
"""

import statistics
import sys
import time

from benchmarks.sample import SAMPLE_SLUG, SLUG_PREFIX

TARGET = 4.0  # as the other domain pages (calls, applications)
# The assessment form is the whole editor: twenty commitments, each with its level radios,
# narrative, evidence and gaps, in one page so a long assessment is filled without navigating.
# Its cost is the size of that page (HTML rendering), not SQL: the query count is constant.
FORM_TARGET = 15.0
# Two assessments loaded and overlaid.
COMPARISON_TARGET = 6.0
BATCH = 2000
GAPS_PER_ASSESSMENT = 3
TITLE = "Auto-évaluation de mesure"
LATER_TITLE = "Expertise à blanc de mesure"
NARRATIVE = (
    "Le projet a engagé une **démarche structurée** sur cet engagement : diagnostic partagé, "
    "objectifs chiffrés et suivi annuel.\n\n- points forts identifiés\n- marges de progrès "
    "décrites avec les services\n\n" * 3
)


def build_assessments():
    """A fully answered assessment per bench project, a later one on the sample; idempotent."""
    from datetime import date

    from django.db import transaction

    from ecoquartier.assessments.models import Assessment
    from ecoquartier.projects.models import Project
    from ecoquartier.referentiel import loader
    from ecoquartier.referentiel.models import ReferentielVersion

    version = ReferentielVersion.objects.current()
    if version is None:
        for path in loader.default_files():
            loader.load(path)
        version = ReferentielVersion.objects.current()
    done = set(Assessment.objects.filter(title=TITLE).values_list("project_id", flat=True))
    projects = Project.objects.filter(slug__startswith=SLUG_PREFIX).exclude(pk__in=done)
    with transaction.atomic():
        created = Assessment.objects.bulk_create(
            (
                Assessment(project_id=pk, version=version, kind="self", title=TITLE,
                           assessed_on=date(2025, 3, 1), status="submitted")
                for pk in projects.values_list("pk", flat=True)
            ),
            batch_size=BATCH,
        )  # fmt: skip
        sample = Project.objects.get(slug=SAMPLE_SLUG)
        if not Assessment.objects.filter(project=sample, title=LATER_TITLE).exists():
            created += Assessment.objects.bulk_create(
                [Assessment(project=sample, version=version, kind="mock", title=LATER_TITLE,
                            assessed_on=date(2025, 9, 1), status="validated")]
            )  # fmt: skip
        _rows(created, version)
        _finish(sample)
    return len(created)


def _finish(sample):
    """The sample's first assessment in draft, so the form scenario measures the editable form
    (the heaviest page), not its read-only view."""
    from ecoquartier.assessments.models import Assessment

    Assessment.objects.filter(project=sample, title=TITLE).update(status="draft")


def _rows(assessments, version):
    """Answers, syntheses (with their HTML rendered once, as save() would) and gaps, in bulk."""
    from benchmarks import bulk
    from ecoquartier.assessments.models import Answer, DimensionSynthesis, Gap
    from ecoquartier.assessments.text import render_markdown
    from ecoquartier.referentiel.models import Commitment

    html = render_markdown(NARRATIVE)
    commitments = list(Commitment.objects.of_version(version))
    dimensions = list(version.dimensions.all())
    ids = [a.pk for a in assessments if a.pk]
    bulk.insert(
        Answer,
        (
            Answer(assessment_id=pk, commitment=c, level=(pk + c.number) % 5,
                   narrative=NARRATIVE, narrative_html=html)
            for pk in ids
            for c in commitments
        ),
    )  # fmt: skip
    bulk.insert(
        DimensionSynthesis,
        (
            DimensionSynthesis(assessment_id=pk, dimension=d, text=NARRATIVE, text_html=html)
            for pk in ids
            for d in dimensions
        ),
    )
    gapped = []  # Read before the COPY below: a connection runs nothing else while it copies.
    for chunk in bulk.batched(ids, 500):
        gapped += Answer.objects.filter(
            assessment_id__in=chunk, commitment__number__lte=GAPS_PER_ASSESSMENT
        ).values_list("pk", flat=True)
    bulk.insert(
        Gap,
        (
            Gap(answer_id=pk, description="Écart de mesure : plan de gestion absent.",
                proposal="Rédiger le plan de gestion avec les services techniques.",
                priority="high", priority_rank=1, owner="Direction de l'urbanisme")
            for pk in gapped
        ),
    )  # fmt: skip


def _sample(title=TITLE):
    from ecoquartier.assessments.models import Assessment

    return Assessment.objects.get(project__slug=SAMPLE_SLUG, title=title)


def _url(name, *titles):
    """A callable resolving the URL once the dataset exists (the pks are not known before)."""

    def resolve():
        from django.urls import reverse

        return reverse(f"assessments:{name}", args=[_sample(t).pk for t in titles])

    return resolve


def _step():
    from benchmarks.datasets import Step

    return Step(
        "assessments",
        lambda ds: f"v2:{ds.projects}",
        lambda ds: build_assessments(),
        idempotent=True,
    )


def scenarios():
    from benchmarks.scenarios import Scenario

    gaps = f"/evaluations/projet/{SAMPLE_SLUG}/ecarts/"
    return [
        Scenario("assessment results (holder)", _url("results", TITLE), "holder", TARGET),
        Scenario("assessment form (holder)", _url("detail", TITLE), "holder", FORM_TARGET),
        Scenario(
            "assessment comparison (holder)",
            _url("compare", TITLE, LATER_TITLE),
            "holder",
            COMPARISON_TARGET,
        ),
        Scenario("project gap list (holder)", gaps, "holder", TARGET),
    ]


def __getattr__(name):
    # Lazy, so that importing this module never needs Django set up (the runner imports it).
    if name == "STEP":
        return _step()
    if name == "SCENARIOS":
        return scenarios()
    raise AttributeError(name)


# --- Standalone run ---------------------------------------------------------------------------


def time_pdf(rounds):
    """Median seconds to render the PDF report of the sample's fully answered assessment."""
    from ecoquartier.assessments.reports import render_pdf

    assessment = _sample()
    render_pdf(assessment)  # warm-up: fonts, templates
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        render_pdf(assessment)
        samples.append(time.perf_counter() - started)
    return {"median_ms": round(1000 * statistics.median(samples)), "rounds": rounds}


def _worker(dataset, rounds, pdf_rounds, out):
    import json
    import os

    os.environ["BENCH_DATASET"] = dataset
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
    import django

    django.setup()
    from benchmarks import datasets, measure

    if all(step.name != "assessments" for step in datasets.STEPS):
        datasets.STEPS.append(_step())
    chosen = _chosen()
    datasets.ensure(datasets.DATASETS[dataset], log=lambda m: print(m, file=sys.stderr))
    from ecoquartier.assessments.models import Answer, Assessment

    result = {
        "assessments": Assessment.objects.count(),
        "answers": Answer.objects.count(),
        "scenarios": measure.measure(chosen, rounds),
        "pdf": time_pdf(pdf_rounds) if pdf_rounds else None,
    }
    with open(out, "w", encoding="utf-8") as handle:
        json.dump(result, handle)


def main(argv=None):
    import argparse
    import json
    import subprocess
    import tempfile
    from pathlib import Path

    parser = argparse.ArgumentParser(description="Assessments benchmark (issue 3).")
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--pdf-rounds", type=int, default=5)
    parser.add_argument("--worker", nargs=4, metavar=("DATASET", "ROUNDS", "PDF_ROUNDS", "OUT"))
    args = parser.parse_args(argv)
    if args.worker:
        dataset, rounds, pdf_rounds, out = args.worker
        return _worker(dataset, int(rounds), int(pdf_rounds), out)
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for dataset, rounds, pdf in (("small", 0, 0), ("large", args.rounds, args.pdf_rounds)):
            out = Path(tmp) / f"{dataset}.json"
            command = [sys.executable, "-m", "benchmarks.assessments", "--worker", dataset]
            subprocess.run([*command, str(rounds), str(pdf), str(out)], check=True)
            results[dataset] = json.loads(out.read_text(encoding="utf-8"))
    return _report(results)


def _chosen():
    from benchmarks import scenarios as base

    return [s for s in base.SCENARIOS if s.is_baseline and s.user == "holder"] + scenarios()


def _report(results):
    from benchmarks import domain

    small, large = results["small"], results["large"]
    rows = domain.compare(small["scenarios"], large["scenarios"], _chosen())
    title = (
        f"Assessments: {large['assessments']} assessments, {large['answers']} answers "
        f"vs {small['answers']}."
    )
    sizes = f"{small['assessments']}/{large['assessments']} assessments"
    failures = domain.print_table(title, rows, sizes)
    pdf = large["pdf"]
    if pdf:
        print(f"{'PDF report, fully answered (median)':40} {pdf['median_ms']:>8} ms  "
              f"over {pdf['rounds']} renders")  # fmt: skip
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
