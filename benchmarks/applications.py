"""Applications at scale (issue 5): 50,000 applications and 150,000 reviews on one call.

Plugs into the bench as two dataset steps, one bench user and a few scenarios:

    # benchmarks/datasets.py   from benchmarks import applications; STEPS += applications.STEPS
    # benchmarks/sample.py      BENCH_USERS["manager"] = applications.MANAGER
    # benchmarks/scenarios.py   SCENARIOS += applications.SCENARIOS

Until then `python -m benchmarks.applications` measures them on their own with the bench's worker
code (datasets.ensure, measure.measure) and the same rules: queries must not grow with the data,
median ≤ 4 × the bare DSFR view of the same user. It also times one full 50,000-row CSV export
streamed through the view (target: under 30 s). Its database is .bench/applications.sqlite3
unless BENCH_DATABASE_URL says otherwise (the first run imports the territories: a few minutes).
"""

import os
import random
import sys
import time
from pathlib import Path

from benchmarks import bulk

APPLICATIONS = {"small": 30, "large": 50_000}  # the large size is × BENCH_SCALE
REVIEWS_PER_APPLICATION = 3
CALL_SLUG = "bench-candidatures"
MANAGER = "gestionnaire@bench.invalid"
REVIEWERS = 30
ORGANISATIONS = 2000
BATCH = 2000
EXPORT_TARGET_SECONDS = 30


def build(count, seed=2026):
    """The call, its form and grid, `count` applications with answers and three reviews each."""
    from django.db import transaction

    rng = random.Random(seed)
    with transaction.atomic():
        call, manager = _call_and_manager()
        organisations = _organisations(min(ORGANISATIONS, count))
        reviewers = _reviewers(organisations[0])
        step = call.steps.get()
        form = step.forms.get()
        _applications(call, step, form, organisations, count, rng)
        _reviews(call, reviewers, rng)
    return count


def _call_and_manager():
    from django.utils import timezone

    from ecoquartier.accounts.models import User
    from ecoquartier.applications import services
    from ecoquartier.calls.models import Call, CallStep, Programme
    from ecoquartier.organisations.models import Membership, Organisation
    from ecoquartier.territories.services import france

    owner, _ = Organisation.objects.get_or_create(
        kind=Organisation.Kind.PUBLIC_OPERATOR, name="Opérateur (mesure des candidatures)"
    )
    programme, _ = Programme.objects.get_or_create(
        slug="bench-programme-candidatures",
        defaults={"kind": Programme.Kind.AMI, "name": "Programme de mesure", "owner": owner},
    )
    call = Call.objects.create(
        slug=CALL_SLUG, programme=programme, kind=Call.Kind.AMI, title="Appel de mesure",
        summary="Un appel national très demandé.", perimeter=france(), capacity=15,
        state=Call.State.PUBLISHED, published_at=timezone.now(),
    )  # fmt: skip
    step = CallStep.objects.create(
        call=call, kind=CallStep.Kind.APPLICATION, deadline=timezone.now().replace(year=2099)
    )
    services.build_form(step, "application", publish=True)
    services.build_default_grid(call)
    manager = User.objects.create_user(email=MANAGER, password=None)
    Membership.objects.create(
        user=manager, organisation=owner, role=Membership.Role.PROGRAMME_MANAGER
    )
    return call, manager


def _organisations(count):
    """Communes applying: the first `count` communes that have no organisation yet."""
    from ecoquartier.organisations.models import Organisation
    from ecoquartier.territories.models import Territory

    communes = list(
        Territory.objects.communes()
        .exclude(organisations__kind=Organisation.Kind.COMMUNE)
        .order_by("code")[:count]
    )
    Organisation.objects.bulk_create(
        [Organisation(kind="commune", territory=t, name=f"Commune de {t.name}") for t in communes],
        batch_size=BATCH,
    )
    return list(
        Organisation.objects.filter(kind="commune", territory__in=communes).values_list(
            "pk", "territory_id"
        )
    )


def _reviewers(organisation):
    from ecoquartier.accounts.models import User

    User.objects.bulk_create([User(email=f"evaluateur{i}@bench.invalid") for i in range(REVIEWERS)])
    return list(
        User.objects.filter(
            email__endswith="@bench.invalid", email__startswith="evaluateur"
        ).values_list("pk", flat=True)
    )


STATES = ["submitted", "under_review", "under_review", "under_review", "completion_requested",
          "selected", "waiting_list", "not_selected", "dismissed"]  # fmt: skip
URBANITY = ["Urbain", "Périurbain", "Rural"]


def _applications(call, step, form, organisations, count, rng):
    from decimal import Decimal

    from django.db import connection
    from django.utils import timezone

    from ecoquartier.applications import counts
    from ecoquartier.applications.models import Answers, Application

    now = timezone.now()
    eligibility = [{"rule": "perimeter", "label": "Périmètre", "verdict": "passed",
                    "message": "Appel national : toute la France est concernée."}]  # fmt: skip

    def rows():
        for i in range(count):
            org_id, territory_id = organisations[i % len(organisations)]
            review = Decimal(rng.randint(600, 1900)) / 100
            bonus = rng.choice([0, 0, 0, 2])
            yield Application(
                call=call,
                step=step,
                organisation_id=org_id,
                territory_id=territory_id,
                title=f"Candidature {i + 1:05d}",
                state=rng.choice(STATES),
                submitted_at=now,
                eligible=rng.random() > 0.1,
                eligibility=eligibility,
                review_score=review,
                bonus=bonus,
                score=review + bonus,
                score_spread=Decimal(rng.randint(0, 400)) / 100,
                review_count=REVIEWS_PER_APPLICATION,
            )  # fmt: skip

    # Loaded in bulk, counted once: row triggers adding one to the same few counters half a
    # million times in one transaction left PostgreSQL walking ever longer chains of versions of
    # those rows (still loading after 45 minutes at 10×). The triggers are back before anything
    # else writes, and the counts are exact (applications/counts.py).
    counts.drop_triggers(connection)
    try:
        bulk.insert(Application, rows())
    finally:
        counts.install_triggers(connection)
    counts.recount(connection)
    # Read before the COPY below: a connection runs nothing else while it copies.
    ids = list(Application.objects.filter(call=call).order_by("pk").values_list("pk", flat=True))
    bulk.insert(
        Answers,
        (
            Answers(
                application_id=pk,
                step=step,
                form=form,
                submitted_at=now,
                data={
                    "summary": f"Projet {pk} : un quartier durable.",
                    "urbanity": rng.choice(URBANITY),
                    "agenda21": rng.choice(["yes", "no"]),
                    "hqe": rng.choice(["yes", "no"]),
                    "dwellings": str(rng.randint(10, 900)),
                },
            )  # fmt: skip
            for pk in ids
        ),
    )


def _reviews(call, reviewers, rng):
    from decimal import Decimal

    from django.utils import timezone

    from ecoquartier.applications.models import Application, Review

    now = timezone.now()
    ids = list(Application.objects.filter(call=call).order_by("pk").values_list("pk", flat=True))
    bulk.insert(
        Review,
        (
            Review(
                application_id=pk,
                reviewer_id=reviewer,
                conflict="none",
                recommendation=rng.choice(["yes", "maybe", "no"]),
                total=Decimal(rng.randint(400, 2000)) / 100,
                submitted_at=now,
                comment="Évaluation synthétique.",
            )  # fmt: skip
            for pk in ids
            for reviewer in rng.sample(reviewers, REVIEWS_PER_APPLICATION)
        ),
    )


def vacuum(ds=None):
    """PostgreSQL: VACUUM the bulk-loaded tables, as autovacuum does in production after so many
    inserts (a local server may run without it). Until then the visibility map is empty, so an
    index cannot answer a count alone: PostgreSQL reads the whole table instead (the dashboard's
    counts by state: 15 ms instead of 5). SQLite has nothing to do."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in ("applications_application", "applications_answers", "applications_review"):
            cursor.execute(f"VACUUM (ANALYZE) {table}")


def _steps():
    from benchmarks.datasets import Step

    return [
        Step(
            "applications",
            lambda ds: f"v1:{ds.size(**APPLICATIONS)}",
            lambda ds: build(ds.size(**APPLICATIONS)),
        ),
        # Its own idempotent step, so that databases built before it only get vacuumed.
        Step("applications-vacuum", lambda ds: "v1", vacuum, idempotent=True),
    ]


def _url(name, query=""):
    def resolve():
        from django.urls import reverse

        return reverse(f"applications:{name}", kwargs={"slug": CALL_SLUG}) + query

    return resolve


def scenarios():
    from benchmarks.scenarios import BARE_URL, Scenario

    return [
        Scenario("bare DSFR view (manager)", BARE_URL, user="manager", target=None),
        Scenario("instruction dashboard", _url("dashboard"), user="manager", target=4.0),
        Scenario(
            "instruction dashboard, filtered",
            _url("dashboard", "?state=under_review&eligible=yes"),
            user="manager",
            target=4.0,
        ),
        Scenario("instruction dashboard, page 10", _url("dashboard", "?page=10"), user="manager",
                 target=4.0),
        Scenario("ranking", _url("ranking"), user="manager", target=4.0),
        Scenario("ranking, page 10", _url("ranking", "?page=10"), user="manager", target=4.0),
    ]  # fmt: skip


def __getattr__(name):
    # Lazy, so that importing this module never needs Django set up (the runner imports it).
    if name == "STEPS":
        return _steps()
    if name == "SCENARIOS":
        return scenarios()
    raise AttributeError(name)


# --- Standalone run ---------------------------------------------------------------------------


def _time_export():
    """One full CSV export of every application, streamed through the view."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(
        get_user_model().objects.get(email=MANAGER),
        backend="django.contrib.auth.backends.ModelBackend",
    )
    url = reverse(
        "applications:export",
        kwargs={"slug": CALL_SLUG, "content": "applications", "fmt": "csv"},
    )
    started = time.perf_counter()
    response = client.get(url)
    lines = sum(chunk.count(b"\n") for chunk in response.streaming_content)
    return {"seconds": round(time.perf_counter() - started, 2), "rows": lines - 1}


def _chosen():
    """The anonymous bare view and the project list (a yardstick measured in the same run), and
    the instruction rows with the manager's own bare view."""
    from benchmarks import domain
    from benchmarks import scenarios as base

    chosen = [s for s in base.SCENARIOS if s.name == "bare DSFR view"]
    chosen += [domain.reference(s) for s in base.SCENARIOS if s.name == "project list"]
    return chosen + scenarios()


def _worker(dataset, rounds):
    from benchmarks import domain, sample

    sample.BENCH_USERS.setdefault("manager", MANAGER)
    domain.setup(dataset, _steps)
    from benchmarks import measure
    from ecoquartier.applications.models import Application, Review

    return {
        "applications": Application.objects.count(),
        "reviews": Review.objects.count(),
        "scenarios": measure.measure(_chosen(), rounds),
        "export": _time_export() if rounds else None,
    }


def main(argv=None):
    from benchmarks import domain

    description = "Applications benchmark (issue 5)."
    env = environment()
    return domain.main("benchmarks.applications", description, _worker, _report, argv, env)


def environment():
    """Its own SQLite database by default, so that the main bench's stays as `make bench` built
    it (benchmarks.settings derives the small and the scaled databases' names from it)."""
    database = f"sqlite:///{Path.cwd() / '.bench' / 'applications.sqlite3'}"
    return {} if "BENCH_DATABASE_URL" in os.environ else {"BENCH_DATABASE_URL": database}


def _report(results):
    from benchmarks import domain

    small, large = results["small"], results["large"]
    rows = domain.compare(small["scenarios"], large["scenarios"], _chosen())
    title = (
        f"Applications: {large['applications']} applications and {large['reviews']} reviews "
        f"vs {small['applications']}."
    )
    sizes = f"{small['applications']}/{large['applications']} applications"
    failures = domain.print_table(title, rows, sizes)
    export = large["export"]
    ok = export["seconds"] < EXPORT_TARGET_SECONDS
    failures += not ok
    print(
        f"{'CSV export, every application':40} {export['seconds']:>8} s   "
        f"{export['rows']} rows (< {EXPORT_TARGET_SECONDS} s)  {'PASS' if ok else 'FAIL'}"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
