"""Demo step: a self-assessment of the Docks eco-district and a Cerema expertise à blanc six
months later (ecoquartier/assessments/demo.yaml), so the comparison page has something to say.

Idempotent: an assessment whose title already exists on the project is left untouched. Skipped
when the project is absent (the projects step did not run). Demo data is trusted: rows are
written directly, with one activity event per assessment and status change, and no e-mail.
"""

import datetime
from pathlib import Path

import yaml
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from ecoquartier.assessments.models import Answer, Assessment, DimensionSynthesis, Gap
from ecoquartier.assessments.services import create_rows
from ecoquartier.assessments.text import render_markdown
from ecoquartier.core.activity import record
from ecoquartier.projects.models import Project
from ecoquartier.referentiel import loader
from ecoquartier.referentiel.models import ReferentielVersion

DEMO_FILE = Path(__file__).with_name("demo.yaml")


def _user(email):
    return get_user_model().objects.filter(email__iexact=email).first() if email else None


def _project(data):
    return Project.objects.filter(
        Q(slug=data["project_slug"]) | Q(name=data["project_name"])
    ).first()


def _aware(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(17, 0)))


def load(path=DEMO_FILE):
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    project = _project(data)
    if project is None:
        return "Projet des Docks absent : évaluations de démonstration ignorées."
    version = ReferentielVersion.objects.current() or _load_referentiel()
    created = [
        spec["title"]
        for spec in data["assessments"]
        if _load_assessment(project, version, spec) is not None
    ]
    return f"{len(created)} évaluation(s) de démonstration créée(s) sur « {project.name} »."


def _load_referentiel():
    for path in loader.default_files():
        loader.load(path)
    return ReferentielVersion.objects.current()


def _load_assessment(project, version, spec):
    if Assessment.objects.filter(project=project, title=spec["title"]).exists():
        return None
    author = _user(spec.get("author"))
    assessment = Assessment.objects.create(
        project=project,
        version=version,
        kind=spec["kind"],
        title=spec["title"],
        assessed_on=spec["assessed_on"],
        lead_expert=_user(spec.get("lead_expert")),
        created_by=author,
    )
    create_rows(assessment, version)
    record(author, "assessment.created", f"{assessment} ouverte", targets=[assessment, project])
    _fill(assessment, spec, author)
    _set_status(assessment, spec["status"], author)
    return assessment


def _fill(assessment, spec, author):
    answers = {a.commitment.number: a for a in assessment.answers.select_related("commitment")}
    for number, (level, narrative) in spec["answers"].items():
        answer = answers[number]
        answer.level, answer.narrative, answer.updated_by = level, narrative, author
        answer.narrative_html = render_markdown(narrative)  # bulk_update skips save()
    fields = ["level", "narrative", "narrative_html", "updated_by"]
    Answer.objects.bulk_update(answers.values(), fields)
    syntheses = {s.dimension.number: s for s in assessment.syntheses.select_related("dimension")}
    for number, text in spec.get("syntheses", {}).items():
        syntheses[number].text, syntheses[number].updated_by = text, author
        syntheses[number].text_html = render_markdown(text)
    fields = ["text", "text_html", "updated_by"]
    DimensionSynthesis.objects.bulk_update(syntheses.values(), fields)
    Gap.objects.bulk_create(_gap(answers[g["commitment"]], g, author) for g in spec["gaps"])


def _gap(answer, spec, author):
    gap = Gap(
        answer=answer,
        description=spec["description"],
        proposal=spec["proposal"],
        priority=spec.get("priority", Gap.Priority.MEDIUM),
        owner=spec.get("owner", ""),
        due_date=spec.get("due_date"),
        status=spec.get("status", Gap.Status.OPEN),
        created_by=author,
    )
    gap.priority_rank = Gap.PRIORITY_RANK[gap.priority]  # bulk_create skips save()
    if gap.status == Gap.Status.CLOSED:
        gap.closed_at = _aware(spec["due_date"])
    return gap


def _set_status(assessment, status, author):
    Status = Assessment.Status
    steps = {Status.SUBMITTED: [Status.SUBMITTED], Status.VALIDATED: list(Status)[1:]}
    for step in steps.get(status, []):
        assessment.status = step
        stamp = "submitted_at" if step == Status.SUBMITTED else "validated_at"
        setattr(assessment, stamp, _aware(assessment.assessed_on))
        record(
            author,
            f"assessment.{step}",
            f"{assessment} : {Status(step).label.lower()}",
            targets=[assessment, assessment.project],
            changes={"status": ["draft" if step == Status.SUBMITTED else "submitted", step]},
        )
    assessment.save()
