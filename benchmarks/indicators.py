"""The indicators at scale (issue 15): every bench project (5,000 in the large dataset,
× BENCH_SCALE) with 40 indicators — the 38 of the national 2023 set and two of its own — and
three years of values each: a baseline in 2023, measurements in 2024 and 2025 (600,000 rows),
plus a 2030 target on the label's national base (about 100,000); a fifth of the values
restricted to the State services and experts.

Plugs into the bench as one dataset step, two bench users and a few scenarios, the way
benchmarks/followup.py does:

    # benchmarks/datasets.py   from benchmarks import indicators; STEPS.append(indicators.STEP)
    # benchmarks/sample.py      BENCH_USERS["state_reader"] = indicators.STATE_READER
    # benchmarks/scenarios.py   SCENARIOS += indicators.SCENARIOS

Until then `python -m benchmarks.indicators` measures them on their own with the bench's worker
code (datasets.ensure, measure.measure) and the same rules: queries must not grow with the data,
median ≤ 3 × the bare DSFR view of the same user. Its database is .bench/indicators.sqlite3
unless BENCH_DATABASE_URL says otherwise.
"""

import random
import sys

from benchmarks import bulk
from benchmarks.sample import SAMPLE_SLUG, SLUG_PREFIX

TARGET = 3.0
# A DGALN programme manager: oversees France, so reads every project's restricted values — the
# widest comparison a reader can get.
STATE_READER = "etat.indicateurs@bench.invalid"
COMPARED = "CC-04"  # Part de logements sociaux: a label-base indicator, higher is better
OWN_CODE = "BENCH"
OWN_NAMES = ("Îlots de fraîcheur", "Toitures végétalisées")
DAYS = {"baseline": (2023, 1, 15), "m2024": (2024, 6, 30), "m2025": (2025, 6, 30)}
RESTRICTED_SHARE = 0.2


def build(seed=2026):
    """The national set, an indicator of its own for each bench project and its values, for the
    projects that have none yet; idempotent."""
    from django.db import transaction

    from ecoquartier.core.generations import bump
    from ecoquartier.indicators.models import GENERATION, IndicatorValue

    rng = random.Random(seed)
    with transaction.atomic():
        national = _national_set()
        _state_reader()
        done = set(
            IndicatorValue.objects.filter(project__slug__startswith=SLUG_PREFIX)
            .values_list("project_id", flat=True)
            .distinct()
        )
        projects = _projects(done)
        own = _own_indicators(national[0].indicator_set_id, projects)
        _values(projects, national, own, rng)
        bump(GENERATION)  # written in bulk, without signals
    return len(projects)


def _national_set():
    from ecoquartier.indicators import loader

    result = loader.load(loader.DATA_DIR / "2023.yaml")
    return list(result.indicator_set.indicators.filter(project=None, programme=None))


def _state_reader():
    from ecoquartier.accounts.models import User
    from ecoquartier.organisations.models import Membership, Organisation

    dgaln = Organisation.objects.filter(kind=Organisation.Kind.DGALN).first()
    user = User.objects.filter(email=STATE_READER).first() or User.objects.create_user(
        email=STATE_READER, password=None
    )
    if dgaln is not None:
        Membership.objects.get_or_create(
            user=user, organisation=dgaln, defaults={"role": Membership.Role.PROGRAMME_MANAGER}
        )


def _projects(done):
    from ecoquartier.projects.models import Project

    return list(
        Project.objects.filter(slug__startswith=SLUG_PREFIX)
        .exclude(pk__in=done)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _own_indicators(set_id, projects):
    """{project pk: [its own indicators' pks]}: the last lines of its board, up to 40."""
    from ecoquartier.indicators.models import Indicator

    bulk.insert(
        Indicator,
        (
            Indicator(indicator_set_id=set_id, code=f"{OWN_CODE}-{n}-{pk}", name=name,
                      unit="%", precision=0, min_value=0, max_value=100, direction="higher",
                      challenge="resilience", source="measured", project_id=pk, order=99 + n)
            for pk in projects
            for n, name in enumerate(OWN_NAMES, start=1)
        ),
    )  # fmt: skip
    # Codes are unique in a set: a project's own indicators carry its project's key.
    own = {}
    for project, pk in Indicator.objects.filter(
        project_id__in=projects, code__startswith=OWN_CODE
    ).values_list("project_id", "pk"):
        own.setdefault(project, []).append(pk)
    return own


def _draw(indicator, rng):
    from decimal import Decimal

    low = float(indicator.min_value if indicator.min_value is not None else 0)
    high = float(indicator.max_value if indicator.max_value is not None else 1000)
    high = min(high, low + 1000)
    return Decimal(f"{rng.uniform(low, high):.{indicator.precision}f}")


def _values(projects, national, own, rng):
    from datetime import date

    from ecoquartier.indicators.models import Indicator, IndicatorValue

    own_rows = {pk: Indicator(pk=pk, min_value=0, max_value=100, precision=0)
                for pks in own.values() for pk in pks}  # fmt: skip

    def rows():
        for project in projects:
            for indicator in [*national, *(own_rows[pk] for pk in own[project])]:
                for name, day in DAYS.items():
                    yield IndicatorValue(
                        project_id=project, indicator_id=indicator.pk,
                        kind="baseline" if name == "baseline" else "measurement",
                        value=_draw(indicator, rng), date=date(*day),
                        visibility="restricted" if rng.random() < RESTRICTED_SHARE else "public",
                    )  # fmt: skip
                if indicator.label_base:
                    yield IndicatorValue(
                        project_id=project, indicator_id=indicator.pk, kind="target",
                        value=_draw(indicator, rng), year=2030,
                    )  # fmt: skip

    bulk.insert(IndicatorValue, rows())


def _step():
    from benchmarks.datasets import Step

    return Step("indicators", lambda ds: f"v2:{ds.projects}", lambda ds: build())


# --- Scenarios --------------------------------------------------------------------------------


def _url(name, *args):
    def resolve():
        from django.urls import reverse

        return reverse(name, args=[SAMPLE_SLUG, *args])

    return resolve


def scenarios():
    from benchmarks.scenarios import BARE_URL, Scenario

    board, page = _url("indicators:board"), _url("indicators:indicator", COMPARED)
    return [
        Scenario("bare DSFR view (holder)", BARE_URL, user="holder", target=None),
        Scenario("indicator board (holder)", board, user="holder", target=TARGET),
        Scenario("indicator page + comparison (holder)", page, user="holder", target=TARGET),
        Scenario("bare DSFR view (state_reader)", BARE_URL, user="state_reader", target=None),
        Scenario("indicator board (state_reader)", board, user="state_reader", target=TARGET),
        Scenario(
            "indicator page + comparison (state_reader)", page, user="state_reader", target=TARGET
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
    """The anonymous bare view (the yardstick every module shows) and the indicator rows with
    each user's own bare view."""
    from benchmarks import scenarios as base

    return [s for s in base.SCENARIOS if s.name == "bare DSFR view"] + scenarios()


def _worker(dataset, rounds):
    from benchmarks import domain, sample

    sample.BENCH_USERS.setdefault("state_reader", STATE_READER)
    domain.setup(dataset, lambda: [_step()])
    from benchmarks import measure
    from ecoquartier.indicators.models import Indicator, IndicatorValue

    return {
        "indicators": Indicator.objects.filter(project=None, programme=None).count()
        + len(OWN_NAMES),
        "values": IndicatorValue.objects.count(),
        "scenarios": measure.measure(_chosen(), rounds),
    }


def main(argv=None):
    from benchmarks import domain

    description = "Indicators benchmark (issue 15)."
    return domain.main("benchmarks.indicators", description, _worker, _report, argv, environment())


def environment():
    from benchmarks import domain

    return domain.own_database("indicators")


def _report(results):
    from benchmarks import domain

    small, large = results["small"], results["large"]
    title = (
        f"Indicators: {large['indicators']} indicators per project, {large['values']} values "
        f"vs {small['values']}."
    )
    sizes = f"{small['values']}/{large['values']} values"
    return domain.report(results, _chosen(), title, sizes)


if __name__ == "__main__":
    sys.exit(main())
