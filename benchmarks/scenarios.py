"""What `make bench` measures: one row per scenario. Add rows here (see benchmarks/__init__.py).

Every scenario is compared with the baseline of the same user: the bare view rendering the DSFR
base template with no query. `target` is the largest acceptable ratio to that baseline.
"""

from collections.abc import Callable
from dataclasses import dataclass

from benchmarks.sample import SAMPLE_SLUG

BARE_URL = "/__bench__/bare/"


@dataclass(frozen=True)
class Scenario:
    name: str
    url: str | Callable[[], str]  # a callable runs once the dataset exists (e.g. to find a pk)
    user: str | None = None  # a key of sample.BENCH_USERS; None is an anonymous visitor
    target: float | None = 3.0  # None marks the baseline

    @property
    def is_baseline(self):
        return self.target is None

    def resolve_url(self):
        return self.url() if callable(self.url) else self.url


def sample_project_url(suffix=""):
    from ecoquartier.projects.models import Project

    return Project.objects.get(slug=SAMPLE_SLUG).get_absolute_url() + suffix


def projects_in_departement_url(code="93"):
    from ecoquartier.territories.models import Territory

    departement = Territory.objects.get(kind=Territory.Kind.DEPARTEMENT, code=code)
    return f"/projets/?departement={departement.pk}"


SCENARIOS = [
    Scenario("bare DSFR view", BARE_URL, target=None),
    Scenario("home page", "/"),
    Scenario("project list", "/projets/"),
    Scenario("project list, page 10", "/projets/?page=10"),
    Scenario("project list, by département", projects_in_departement_url),
    Scenario("project list, by name", "/projets/?q=quartier"),
    Scenario("project page", sample_project_url),
    Scenario("project timeline", lambda: sample_project_url("historique/")),
    Scenario("territory autocomplete (JSON)", "/territoires/autocomplete.json?q=saint%20ouen"),
    Scenario("territory autocomplete (htmx)", "/territoires/autocomplete/?q=saint%20ouen"),
    Scenario("bare DSFR view (holder)", BARE_URL, user="holder", target=None),
    Scenario("project list (holder)", "/projets/", user="holder"),
    Scenario("project page (holder)", sample_project_url, user="holder"),
]


def baseline_for(scenario):
    return next(s for s in SCENARIOS if s.is_baseline and s.user == scenario.user)
