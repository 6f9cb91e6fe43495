"""Aid finder at scale (issue 4): 10,000 synthetic calls over the real geography.

Plugs into the bench as one dataset step and a few scenarios:

    # benchmarks/datasets.py          from benchmarks import calls;  STEPS.append(calls.STEP)
    # benchmarks/scenarios.py         SCENARIOS += calls.SCENARIOS

Until then `python -m benchmarks.calls` measures them on their own, with the bench's own worker
code (datasets.ensure, measure.measure) and the same pass/fail rules (queries must not grow with
the data; median ≤ target × the bare DSFR view). Set BENCH_DATABASE_URL to choose the database.
"""

import random
import sys
from datetime import timedelta

from benchmarks import bulk

CALLS = {"small": 30, "large": 10_000}  # the large size is × BENCH_SCALE
SLUG_PREFIX = "bench-call-"
SAMPLE_CALL = f"{SLUG_PREFIX}00001"
FINDER_COMMUNE = "04160"  # Reillanne (PACA), as in the acceptance journey
BATCH = 500
SUBJECTS = (
    "reconversion de friches", "entrées de ville", "biodiversité en ville", "sobriété foncière",
    "mobilités actives", "rénovation énergétique", "revitalisation de centre-bourg",
    "adaptation au changement climatique", "participation citoyenne", "gestion de l'eau",
    "ÉcoQuartier productif", "logistique du dernier kilomètre",
)  # fmt: skip
KIND_WEIGHTS = {"country": 1, "region": 4, "departement": 7, "epci": 4, "commune": 4}


def build_calls(count, seed=2026):
    """Add `count` published calls with steps, benefits and themes; deterministic."""
    from django.db import transaction

    from ecoquartier.calls.models import Call, Programme
    from ecoquartier.territories.services import france

    rng = random.Random(seed)
    with transaction.atomic():
        owner = _owner()
        programme, _ = Programme.objects.get_or_create(
            slug="bench-programme",
            defaults={"kind": Programme.Kind.OTHER, "name": "Programme de mesure", "owner": owner},
        )
        perimeters = _perimeters(rng, count, france())
        calls = (_call(i, programme, perimeters[i - 1], rng) for i in range(1, count + 1))
        bulk.insert(Call, calls)
        created = Call.objects.filter(slug__startswith=SLUG_PREFIX)
        _children(list(created.order_by("slug").values_list("pk", flat=True)), rng)
        created.refresh_deadlines()
        created.refresh_search_vectors()
    _analyze()
    return count


def _analyze():
    """PostgreSQL: the bulk UPDATEs above leave dead tuples and a GIN pending list that only a
    VACUUM clears; production gets it from autovacuum, the bench right away. SQLite: the
    full-text indexes written call by call are merged, as the nightly job does (calls/fts.py)."""
    from django.db import connection

    from ecoquartier.calls import fts, open_words

    fts.advance(connection)
    open_words.advance(connection)
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            for table in ("calls_call", "calls_callstep", "calls_callbenefit"):
                cursor.execute(f"VACUUM ANALYZE {table}")


def _owner():
    from ecoquartier.organisations.models import Organisation

    return Organisation.objects.get_or_create(
        kind=Organisation.Kind.DGALN,
        name="DGALN (mesure)",
        defaults={"acronym": "DGALN"},
    )[0]


def _perimeters(rng, count, france):
    """The sample call covers the finder's commune; the others spread over every level."""
    from ecoquartier.territories.models import Territory

    pools = {
        kind: list(Territory.objects.filter(kind=kind).values_list("pk", flat=True))
        for kind in KIND_WEIGHTS
        if kind != "country"
    }
    pools["country"] = [france.pk]
    kinds = [k for k in KIND_WEIGHTS if pools[k]]
    weights = [KIND_WEIGHTS[k] for k in kinds]
    region = Territory.objects.filter(
        kind="region",
        descendant_links__descendant__kind="commune",
        descendant_links__descendant__code=FINDER_COMMUNE,
    ).first()
    first = region.pk if region else france.pk
    return [first] + [rng.choice(pools[rng.choices(kinds, weights)[0]]) for _ in range(count - 1)]


def _call(index, programme, perimeter_id, rng):
    from ecoquartier.calls.models import Call

    subject = SUBJECTS[0] if index == 1 else rng.choice(SUBJECTS)
    call = Call(
        programme=programme,
        kind=rng.choice(Call.Kind.values),
        title=f"Appel {index} : {subject}",
        slug=f"{SLUG_PREFIX}{index:05d}",
        summary=f"Accompagner les collectivités sur la {subject} et les friches urbaines."
        if index == 1 or rng.random() < 0.1
        else f"Accompagner les collectivités sur le thème : {subject}.",
        presentation=(f"Un appel synthétique sur {subject}.\n\n" + "- objectif ;\n" * 8) * 3,
        perimeter_id=perimeter_id,
        audience_kinds=rng.choice([[], ["commune"], ["commune", "epci"]]),
        population_max=rng.choice([None, None, 3500, 20000]),
        project_stages=rng.choice([[], ["reflection", "studies"]]),
        capacity=rng.choice([None, 5, 15]),
        state=Call.State.PUBLISHED,
    )
    call.fill_search_columns()
    return call


def _children(call_ids, rng):
    from django.utils import timezone

    from ecoquartier.calls.models import CallBenefit, CallStep

    now = timezone.now()
    steps, benefits = [], []
    for n, pk in enumerate(call_ids):
        offset = 60 if n == 0 else rng.randint(-900, 365)
        deadline = now + timedelta(days=offset)
        steps.append(CallStep(call_id=pk, kind="application", deadline=deadline))
        if rng.random() < 0.4:
            steps.append(
                CallStep(call_id=pk, kind="intention", deadline=deadline - timedelta(days=30))
            )
        kind = rng.choice(CallBenefit.Kind.values)
        benefits.append(CallBenefit(call_id=pk, kind=kind, days=20, amount=50000, rate=50))
    bulk.insert(CallStep, steps)
    bulk.insert(CallBenefit, benefits)


def _step():
    from benchmarks.datasets import Step

    return Step(
        "calls",
        lambda ds: f"v1:{ds.size(**CALLS)}",
        lambda ds: build_calls(ds.size(**CALLS)),
    )


def sample_call_url():
    from ecoquartier.calls.models import Call

    return Call.objects.get(slug=SAMPLE_CALL).get_absolute_url()


FINDER_BY_COMMUNE_AND_TEXT = f"/aides/?territoire=commune%3A{FINDER_COMMUNE}&q=friches"
# Words of the sample call (present in the small dataset too, so that both datasets list results
# and their query counts compare), some rare in the large dataset, some in every summary.
FRESH_TEXTS = ("friches", "reconversion", "friches urbaines", "reconversion de friches", "friche")


class FreshFinderUrls:
    """A finder URL no cache holds: a new commune of the sample call's région and a new text at
    each call, the same sequence on both datasets."""

    def __init__(self):
        self.communes = None
        self.count = 0

    def __call__(self):
        from urllib.parse import urlencode

        if self.communes is None:
            self.communes = _region_communes()
        commune = self.communes[self.count % len(self.communes)]
        text = FRESH_TEXTS[self.count % len(FRESH_TEXTS)]
        self.count += 1
        return "/aides/?" + urlencode({"territoire": f"commune:{commune}", "q": text})


def _region_communes():
    from ecoquartier.territories.models import TerritoryAncestor

    region = TerritoryAncestor.objects.filter(
        ancestor__kind="region", descendant__kind="commune", descendant__code=FINDER_COMMUNE
    ).values("ancestor")
    return list(
        TerritoryAncestor.objects.filter(ancestor__in=region, descendant__kind="commune")
        .order_by("descendant__code")
        .values_list("descendant__code", flat=True)
    )


def _fresh(name, user=None):
    from benchmarks.scenarios import Scenario

    urls = FreshFinderUrls()
    return Scenario(name, urls, user=user, target=4.0, fresh=urls)


def scenarios():
    from benchmarks.scenarios import Scenario

    return [
        Scenario("aid finder", "/aides/", target=4.0),
        Scenario("aid finder, commune + text", FINDER_BY_COMMUNE_AND_TEXT, target=4.0),
        Scenario(
            "aid finder, commune + text, closed too",
            FINDER_BY_COMMUNE_AND_TEXT + "&clos=1",
            target=4.0,
        ),
        Scenario("call page", sample_call_url, target=4.0),
        Scenario(
            "aid finder, commune + text (holder)",
            FINDER_BY_COMMUNE_AND_TEXT,
            user="holder",
            target=4.0,
        ),
        # Uncached: a new commune and text at each request, for a visitor and for a holder
        # (whose finder is cached per organisation): what a search nobody made before costs.
        _fresh("aid finder, new commune + text each request"),
        _fresh("aid finder, new commune + text each request (holder)", user="holder"),
        # Visitors are served from the visitors' cache (calls/visitors.py); these rows empty it
        # before each request: what the first visitor after a change (or a date) waits.
        Scenario("aid finder, cache miss", "/aides/", target=None, cold=True),
        Scenario("call page, cache miss", sample_call_url, target=None, cold=True),
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
    """The bare baselines, the project list as a yardstick from another page of 20 cards, and
    the finder's rows."""
    from benchmarks import domain
    from benchmarks import scenarios as base

    references = [domain.reference(s) for s in base.SCENARIOS if s.name == "project list"]
    return [s for s in base.SCENARIOS if s.is_baseline] + references + scenarios()


def _worker(dataset, rounds):
    """One dataset, in this process: the bench worker with the calls step and scenarios."""
    from benchmarks import domain

    domain.setup(dataset, lambda: [_step()])
    from benchmarks import measure
    from ecoquartier.calls.models import Call

    return {"calls": Call.objects.count(), "scenarios": measure.measure(_chosen(), rounds)}


def main(argv=None):
    from benchmarks import domain

    description = "Aid finder benchmark (issue 4)."
    return domain.main("benchmarks.calls", description, _worker, _report, argv)


def _report(results):
    from benchmarks import domain

    small, large = results["small"], results["large"]
    rows = domain.compare(small["scenarios"], large["scenarios"], _chosen())
    title = f"Aid finder: {large['calls']} calls vs {small['calls']}."
    failed = domain.print_table(title, rows, f"{small['calls']}/{large['calls']} calls")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
