"""What an application's form already knows from the project it is made for (issue 13, item 3):
the project itself, its commune, the commune's population, its stage and key figures. Data, not
code branches: each form field key the project answers, and how. The applicant sees them filled
in and may change them (they are answers like any other, saved in the draft)."""

from ecoquartier.applications.models import FormField
from ecoquartier.projects.models import Project

Kind = FormField.Kind

STAGE_LABELS = {value: str(label) for value, label in Project.Stage.choices}


def _commune(project, communes):
    return communes[0].token if communes else None


def _population(project, communes):
    known = [c.population for c in communes if c.population is not None]
    return sum(known) if known else None


def _stage(project, _communes):
    return STAGE_LABELS.get(project.stage)


def _figure(name):
    return lambda project, _communes: getattr(project, name)


# Field key → what the project answers (None: nothing known). A field of kind "project" is
# answered by the project itself, and one of kind "territory" by its first commune, whatever
# their key.
BY_KEY = {
    "summary": lambda project, _communes: project.summary or None,
    "perimeter": _commune,
    "commune": _commune,
    "population": _population,
    "stage": _stage,
    "area_ha": _figure("area_ha"),
    "dwellings": _figure("dwellings"),
    "social_dwellings": _figure("social_dwellings"),
    "inhabitants": _figure("inhabitants"),
    "jobs": _figure("jobs"),
}
BY_KIND = {
    Kind.PROJECT: lambda project, _communes: str(project.pk),
    Kind.TERRITORY: _commune,
}


def answers_from_project(project, specs):
    """{field key: stored answer} for the fields of `specs` the project answers, as
    `Answers.data` holds them (formspec): a choice only among the field's choices. Two queries
    (the project's communes)."""
    if project is None:
        return {}
    communes = list(project.communes.order_by("name"))
    data = {}
    for spec in specs:
        answer = BY_KIND.get(spec.kind) or BY_KEY.get(spec.key)
        value = answer(project, communes) if answer else None
        if value is None or spec.kind == Kind.FILE:
            continue
        if spec.kind == Kind.CHOICE and str(value) not in spec.choices:
            continue
        data[spec.key] = str(value) if not isinstance(value, str) else value
    return data
