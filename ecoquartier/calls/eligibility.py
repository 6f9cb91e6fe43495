"""Structured eligibility (F-22).

`check_eligibility(call, organisation, project=None)` judges an applicant against a call and
returns one verdict per rule — passed, failed or not applicable — each with a French sentence.
Lists reuse one `Applicant` for many calls (`evaluate`), so judging a page of results costs the
same few queries as judging one call.
"""

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ecoquartier.organisations.models import Organisation
from ecoquartier.projects.models import Project
from ecoquartier.territories.models import Territory
from ecoquartier.territories.services import containment, with_ancestor_ids


class Verdict(models.TextChoices):
    PASSED = "passed", gettext_lazy("Respecté")
    FAILED = "failed", gettext_lazy("Non respecté")
    NOT_APPLICABLE = "not_applicable", gettext_lazy("Sans objet")


class Rule(models.TextChoices):
    AUDIENCE = "audience", gettext_lazy("Public visé")
    PERIMETER = "perimeter", gettext_lazy("Périmètre")
    POPULATION = "population", gettext_lazy("Population")
    STAGE = "stage", gettext_lazy("État d'avancement")
    COMPETENCE = "competence", gettext_lazy("Compétence urbanisme")
    THEMES = "themes", gettext_lazy("Thématiques")


@dataclass(frozen=True)
class RuleResult:
    rule: str
    verdict: str
    message: str

    @property
    def label(self):
        return Rule(self.rule).label

    @property
    def passed(self):
        return self.verdict == Verdict.PASSED

    @property
    def failed(self):
        return self.verdict == Verdict.FAILED


@dataclass(frozen=True)
class Bonus:
    theme: object
    points: int

    @property
    def message(self):
        return _("Thématique prioritaire « %(theme)s » : +%(points)s point(s)") % {
            "theme": self.theme,
            "points": self.points,
        }


@dataclass
class Eligibility:
    organisation: Organisation
    results: list[RuleResult]
    bonuses: list[Bonus] = field(default_factory=list)

    @property
    def eligible(self):
        return not any(r.failed for r in self.results)

    @property
    def failures(self):
        return [r for r in self.results if r.failed]

    def result(self, rule):
        return next(r for r in self.results if r.rule == rule)

    @property
    def summary(self):
        """« Votre commune est éligible » or « Votre commune n'est pas éligible »."""
        subject = {
            Organisation.Kind.COMMUNE: _("Votre commune"),
            Organisation.Kind.EPCI: _("Votre intercommunalité"),
        }.get(self.organisation.kind, _("Votre organisation"))
        if self.eligible:
            return _("%(subject)s est éligible") % {"subject": subject}
        return _("%(subject)s n'est pas éligible") % {"subject": subject}


@dataclass(frozen=True)
class Applicant:
    """What the rules need to know about an organisation (and optionally its project), loaded
    once: its territory's ancestors make every perimeter check a set lookup."""

    organisation: Organisation
    project: Project | None
    territory_ids: frozenset
    theme_ids: frozenset

    @classmethod
    def load(cls, organisation, project=None):
        territory_ids = frozenset()
        if organisation.territory_id:
            territory_ids = _load_territory(organisation)
        theme_ids = frozenset()
        if project is not None:
            theme_ids = frozenset(project.themes.values_list("pk", flat=True))
        return cls(organisation, project, territory_ids, theme_ids)


def _load_territory(organisation):
    """The ids of the territories containing the organisation's, itself included; the territory
    itself is cached on the organisation, as its foreign key would be. One query."""
    if Organisation.territory.is_cached(organisation):
        return containment(organisation.territory_id)[0] | {organisation.territory_id}
    territory, ids = with_ancestor_ids(organisation.territory_id)
    if territory is not None:
        organisation.territory = territory
    return ids


def check_eligibility(call, organisation, project=None):
    """The one entry point: is `organisation` (with `project`) eligible to `call`, and why."""
    return evaluate(call, Applicant.load(organisation, project))


def evaluate(call, applicant):
    results = [rule(call, applicant) for rule in RULES]
    return Eligibility(applicant.organisation, results, _bonuses(call, applicant))


class Judge:
    """`evaluate` for many calls and one applicant (a page of results): a rule reads few of a
    call's fields, so each rule's verdict is written once per distinct value of them."""

    def __init__(self, applicant):
        self.applicant = applicant
        self._verdicts = {}  # (rule, its inputs) -> RuleResult
        self._judged = {}  # all the rules' inputs -> Eligibility, without a project

    def __call__(self, call):
        inputs = tuple(RULE_INPUTS[rule](call) for rule in RULES)
        if inputs in self._judged:
            return self._judged[inputs]
        results = []
        for rule, key in zip(RULES, inputs, strict=True):
            if (rule, key) not in self._verdicts:
                self._verdicts[rule, key] = rule(call, self.applicant)
            results.append(self._verdicts[rule, key])
        eligibility = Eligibility(
            self.applicant.organisation, results, _bonuses(call, self.applicant)
        )
        if self.applicant.project is None:  # then no bonus, which depends on the call itself
            self._judged[inputs] = eligibility
        return eligibility


def number(value):
    """French digit grouping with a narrow no-break space: 4812 -> "4 812"."""
    return f"{value:,}".replace(",", "\u202f")


def _result(rule, verdict, message):
    return RuleResult(rule.value, verdict.value, message)


def audience(call, applicant):
    if not call.audience_kinds:
        return _result(
            Rule.AUDIENCE,
            Verdict.NOT_APPLICABLE,
            _("Tous les types d'organisation peuvent candidater."),
        )
    kind = applicant.organisation.get_kind_display()
    if applicant.organisation.kind in call.audience_kinds:
        return _result(Rule.AUDIENCE, Verdict.PASSED, _("Type d'organisation accepté : %s.") % kind)
    kinds = ", ".join(str(Organisation.Kind(k).label) for k in call.audience_kinds)
    return _result(
        Rule.AUDIENCE,
        Verdict.FAILED,
        _("Non éligible : réservé à %(kinds)s (votre organisation : %(kind)s).")
        % {"kinds": kinds, "kind": kind},
    )


def perimeter(call, applicant):
    zone = call.perimeter
    if zone.kind == Territory.Kind.COUNTRY:
        return _result(
            Rule.PERIMETER, Verdict.PASSED, _("Appel national : toute la France est concernée.")
        )
    territory = applicant.organisation.territory
    if territory is None:
        return _result(
            Rule.PERIMETER,
            Verdict.FAILED,
            _("Non éligible : votre organisation n'a pas de territoire dans le périmètre %s.")
            % zone,
        )
    values = {"territory": territory, "perimeter": zone}
    if zone.pk in applicant.territory_ids:
        return _result(
            Rule.PERIMETER,
            Verdict.PASSED,
            _("%(territory)s est dans le périmètre %(perimeter)s.") % values,
        )
    return _result(
        Rule.PERIMETER,
        Verdict.FAILED,
        _("Non éligible : %(territory)s est hors du périmètre %(perimeter)s.") % values,
    )


def population(call, applicant):
    low, high = call.population_min, call.population_max
    if low is None and high is None:
        return _result(
            Rule.POPULATION, Verdict.NOT_APPLICABLE, _("Pas de condition de population.")
        )
    territory = applicant.organisation.territory
    if territory is None or territory.population is None:
        return _result(
            Rule.POPULATION,
            Verdict.FAILED,
            _("Non éligible : population inconnue (condition : %s).") % population_range(call),
        )
    count = territory.population
    if high is not None and count > high:
        message = _("Non éligible : population %(count)s > %(limit)s")
        return _result(
            Rule.POPULATION,
            Verdict.FAILED,
            message % {"count": number(count), "limit": number(high)},
        )
    if low is not None and count < low:
        message = _("Non éligible : population %(count)s < %(limit)s")
        return _result(
            Rule.POPULATION,
            Verdict.FAILED,
            message % {"count": number(count), "limit": number(low)},
        )
    return _result(
        Rule.POPULATION,
        Verdict.PASSED,
        _("Population %(count)s : condition respectée (%(range)s).")
        % {"count": number(count), "range": population_range(call)},
    )


def population_range(call):
    low, high = call.population_min, call.population_max
    if low is not None and high is not None:
        return _("de %(low)s à %(high)s habitants") % {"low": number(low), "high": number(high)}
    if high is not None:
        return _("jusqu'à %s habitants") % number(high)
    return _("au moins %s habitants") % number(low)


def stage(call, applicant):
    if not call.project_stages:
        return _result(
            Rule.STAGE, Verdict.NOT_APPLICABLE, _("Tous les états d'avancement sont acceptés.")
        )
    stages = ", ".join(str(Project.Stage(s).label) for s in call.project_stages)
    project = applicant.project
    if project is None:
        return _result(
            Rule.STAGE,
            Verdict.NOT_APPLICABLE,
            _("À vérifier sur votre projet : états acceptés %s.") % stages,
        )
    if project.stage in call.project_stages:
        return _result(
            Rule.STAGE,
            Verdict.PASSED,
            _("État d'avancement accepté : %s.") % project.get_stage_display(),
        )
    return _result(
        Rule.STAGE,
        Verdict.FAILED,
        _("Non éligible : état d'avancement « %(stage)s » (acceptés : %(stages)s).")
        % {"stage": project.get_stage_display(), "stages": stages},
    )


def competence(call, applicant):
    if not call.requires_planning_competence:
        return _result(
            Rule.COMPETENCE,
            Verdict.NOT_APPLICABLE,
            _("Pas d'exigence de compétence en urbanisme."),
        )
    if applicant.organisation.has_planning_competence:
        return _result(
            Rule.COMPETENCE,
            Verdict.PASSED,
            _("Votre organisation exerce la compétence urbanisme."),
        )
    return _result(
        Rule.COMPETENCE,
        Verdict.FAILED,
        _("Non éligible : l'appel exige la compétence urbanisme."),
    )


def themes(call, applicant):
    wanted = list(call.eligible_themes.all())
    if not wanted:
        return _result(
            Rule.THEMES, Verdict.NOT_APPLICABLE, _("Toutes les thématiques sont acceptées.")
        )
    labels = ", ".join(str(t) for t in wanted)
    if applicant.project is None:
        return _result(
            Rule.THEMES,
            Verdict.NOT_APPLICABLE,
            _("À vérifier sur votre projet : thématiques attendues %s.") % labels,
        )
    shared = [t for t in wanted if t.pk in applicant.theme_ids]
    if shared:
        return _result(
            Rule.THEMES,
            Verdict.PASSED,
            _("Thématique attendue : %s.") % ", ".join(str(t) for t in shared),
        )
    return _result(
        Rule.THEMES,
        Verdict.FAILED,
        _("Non éligible : le projet ne porte sur aucune des thématiques attendues (%s).") % labels,
    )


RULES = [audience, perimeter, population, stage, competence, themes]
# What each rule reads of a call (with the applicant, the same for a whole page; see Judge).
RULE_INPUTS = {
    audience: lambda call: tuple(call.audience_kinds),
    perimeter: lambda call: call.perimeter.pk,
    population: lambda call: (call.population_min, call.population_max),
    stage: lambda call: tuple(call.project_stages),
    competence: lambda call: call.requires_planning_competence,
    themes: lambda call: tuple(theme.pk for theme in call.eligible_themes.all()),
}


def _bonuses(call, applicant):
    """Priority themes the project addresses: a bonus in the ranking, never a condition."""
    if applicant.project is None:
        return []
    return [
        Bonus(link.theme, link.bonus)
        for link in call.priority_links.all()
        if link.theme_id in applicant.theme_ids
    ]
