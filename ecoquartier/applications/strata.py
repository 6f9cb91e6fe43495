"""Strata of applications for the balanced-selection helper: what `selection.propose` needs,
read from the database in a fixed number of queries."""

from django.utils.translation import gettext_lazy

from ecoquartier.applications.models import Answers, FormField
from ecoquartier.applications.selection import Candidate

POPULATION_CLASSES = [
    (2_000, gettext_lazy("moins de 2 000 habitants")),
    (10_000, gettext_lazy("2 000 à 9 999 habitants")),
    (50_000, gettext_lazy("10 000 à 49 999 habitants")),
    (None, gettext_lazy("50 000 habitants et plus")),
]
BUILT_IN = {
    "population": gettext_lazy("Classe de population"),
    "region": gettext_lazy("Région"),
}


def population_class(population):
    if population is None:
        return ""
    for limit, label in POPULATION_CLASSES:
        if limit is None or population < limit:
            return str(label)
    return ""


def answer_strata(call):
    """{"answer:<key>": label} for the yes/no and single-choice questions of the call's forms,
    e.g. urban / peri-urban / rural, Agenda 21, HQE Aménagement."""
    strata = {}
    for key, label in (
        FormField.objects.filter(
            section__form__step__call=call, kind__in=[FormField.Kind.YES_NO, FormField.Kind.CHOICE]
        )
        .order_by("section__form__version")
        .values_list("key", "label")
    ):
        strata[f"answer:{key}"] = label
    return strata


def available_strata(call):
    return {**{k: str(v) for k, v in BUILT_IN.items()}, **answer_strata(call)}


def _region(territory):
    if territory is None:
        return ""
    if territory.kind == "region":
        return territory.name
    return territory.region.name if territory.region_id else ""


def candidates(applications):
    """Candidates (score, strata) for a list of applications (territory and region loaded)."""
    answers = {}
    for row in Answers.objects.filter(application__in=[a.pk for a in applications]).order_by(
        "step__deadline"
    ):
        answers.setdefault(row.application_id, {}).update(row.data)
    result = []
    for app in applications:
        values = {
            "population": population_class(app.territory.population if app.territory else None),
            "region": _region(app.territory),
        }
        for key, value in answers.get(app.pk, {}).items():
            if isinstance(value, str):
                values[f"answer:{key}"] = value
        result.append(Candidate(app.pk, app.score or 0, values, app.title))
    return result
