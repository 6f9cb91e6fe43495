"""What `make bench` measures: one row per scenario. Add rows here (see benchmarks/__init__.py).

Every scenario is compared with the baseline of the same user: the bare view rendering the DSFR
base template with no query. `target` is the largest acceptable ratio to that baseline.

Visitors (not logged in) get the public pages from a cache keyed on the data's generations
(ecoquartier/core/visitors.py); a `cold` scenario empties the cache before each request, so it
measures what the first visitor after a change waits (and every logged-in user, whose pages are
never cached). Cold rows have no target: they are reported to keep that cost in sight. A
`fresh` scenario asks for a new URL at every request (the aid finder with a new territory and
text each time): no cache holds it, yet the cache stays as busy as in production, so it is a
first-class row with its target.
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
    target: float | None = 3.0  # None: reported without a target (the baseline, cold rows)
    cold: bool = False  # empty the cache before each request
    fresh: Callable[[], str] | None = None  # a new URL for each request (`url`: the first one)

    @property
    def is_baseline(self):
        return self.url == BARE_URL

    def resolve_url(self):
        return self.url() if callable(self.url) else self.url


def sample_project_url(suffix=""):
    from ecoquartier.projects.models import Project

    return Project.objects.get(slug=SAMPLE_SLUG).get_absolute_url() + suffix


def projects_in_departement_url(code="93"):
    # The territory filter takes "kind:code" tokens, as the picker posts them.
    return f"/projets/?territory=departement%3A{code}"


SCENARIOS = [
    Scenario("bare DSFR view", BARE_URL, target=None),
    Scenario("home page", "/"),
    Scenario("project list", "/projets/"),
    Scenario("project list, page 10", "/projets/?page=10"),
    Scenario("project list, by département", projects_in_departement_url),
    Scenario("project list, by name", "/projets/?q=quartier"),
    Scenario("project page", sample_project_url),
    Scenario("project timeline", lambda: sample_project_url("historique/")),
    Scenario("project list, cache miss", "/projets/", target=None, cold=True),
    Scenario("project list by name, cache miss", "/projets/?q=quartier", target=None, cold=True),
    Scenario("project page, cache miss", sample_project_url, target=None, cold=True),
    Scenario("territory autocomplete (JSON)", "/territoires/autocomplete.json?q=saint%20ouen"),
    Scenario("territory autocomplete (htmx)", "/territoires/autocomplete/?q=saint%20ouen"),
    Scenario("bare DSFR view (holder)", BARE_URL, user="holder", target=None),
    Scenario("project list (holder)", "/projets/", user="holder"),
    Scenario("project page (holder)", sample_project_url, user="holder"),
]


def baseline_for(scenario):
    return next(s for s in SCENARIOS if s.is_baseline and s.user == scenario.user)
