"""The follow-up at scale (issue 14): one programme following every bench project (5,000 in the
large dataset, × BENCH_SCALE), each follow-up with 40 activities (200,000), its convention and
three parties, its four milestones and deliverables, a grant and two instalments.

Plugs into the bench as one dataset step, one bench user and a few scenarios, the way
benchmarks/applications.py does:

    # benchmarks/datasets.py   from benchmarks import followup; STEPS.append(followup.STEP)
    # benchmarks/sample.py      BENCH_USERS["followup_manager"] = followup.MANAGER
    # benchmarks/scenarios.py   SCENARIOS += followup.SCENARIOS

Until then `python -m benchmarks.followup` measures them on their own with the bench's worker
code (datasets.ensure, measure.measure) and the same rules: queries must not grow with the data,
median ≤ 3 × the bare DSFR view of the same user. Its database is .bench/followup.sqlite3 unless
BENCH_DATABASE_URL says otherwise.
"""

import random
import sys

from benchmarks import bulk
from benchmarks.sample import SAMPLE_SLUG, SLUG_PREFIX

TARGET = 3.0
ACTIVITIES_PER_FOLLOW_UP = 40  # 200,000 on the 5,000 follow-ups of the large dataset
PROGRAMME_SLUG = "bench-programme-accompagnement"
MANAGER = "gestionnaire.accompagnement@bench.invalid"
EXPERT = "expert.accompagnement@bench.invalid"
# The activities' half-days alternate 1 and 2 (`_activities`): their sum, for `days_used`.
HALF_DAYS = sum(1 + i % 2 for i in range(ACTIVITIES_PER_FOLLOW_UP))
PHASES = [("Cadrage amont", 3), ("Diagnostic", 9), ("Stratégie", 18), ("Plan d'actions", 30)]


def build(seed=2026):
    """A follow-up of every bench project that has none, with its rows; idempotent."""
    from django.db import transaction

    from ecoquartier.core.generations import bump
    from ecoquartier.followup import cached
    from ecoquartier.followup.models import FollowUp

    rng = random.Random(seed)
    with transaction.atomic():
        programme, operator, manager, expert = _programme()
        done = set(FollowUp.objects.values_list("project_id", flat=True))
        places = _places(done)
        _follow_ups(programme, operator, manager, places, rng)
        ids = dict(
            FollowUp.objects.filter(programme=programme, project_id__in=places).values_list(
                "pk", "starts_on"
            )
        )
        _experts(ids, expert)
        _activities(ids, expert, rng)
        _conventions(ids, operator, rng)
        _plans(ids, rng)
        _grants(ids, operator, rng)
        bump(cached.GENERATION)  # Written in bulk, without signals.
    return len(places)


def _programme():
    from ecoquartier.accounts.models import User
    from ecoquartier.calls.models import Programme
    from ecoquartier.organisations.models import Membership, Organisation

    operator, _ = Organisation.objects.get_or_create(
        kind=Organisation.Kind.PUBLIC_OPERATOR, name="Opérateur (mesure des accompagnements)"
    )
    programme, _ = Programme.objects.get_or_create(
        slug=PROGRAMME_SLUG,
        defaults={"kind": Programme.Kind.SUPPORT, "name": "Accompagnement de mesure",
                  "owner": operator},
    )  # fmt: skip
    users = []
    for email, role in ((MANAGER, "manager"), (EXPERT, "expert")):
        user = User.objects.filter(email=email).first() or User.objects.create_user(
            email=email, password=None
        )
        Membership.objects.get_or_create(user=user, organisation=operator, defaults={"role": role})
        users.append(user)
    return programme, operator, *users


def _places(done):
    """{project pk: (holder pk, commune pk, région pk)} of the bench projects not followed yet:
    the first holder and commune of each (the sample project has two of each)."""
    from ecoquartier.projects.models import Project

    holders, places = {}, {}
    for project, organisation in (
        Project.holders.through.objects.filter(project__slug__startswith=SLUG_PREFIX)
        .order_by("pk")
        .values_list("project_id", "organisation_id")
    ):
        holders.setdefault(project, organisation)
    for project, commune, region in (
        Project.communes.through.objects.filter(project__slug__startswith=SLUG_PREFIX)
        .order_by("pk")
        .values_list("project_id", "territory_id", "territory__region_id")
    ):
        if project not in done and project in holders and project not in places:
            places[project] = (holders[project], commune, region)
    return places


def _follow_ups(programme, operator, manager, places, rng):
    from datetime import date
    from decimal import Decimal

    from ecoquartier.followup.models import FollowUp

    def rows():
        for project, (holder, commune, region) in places.items():
            starts_on = date(2023 + rng.randrange(3), 1 + rng.randrange(12), 1)
            yield FollowUp(
                project_id=project, programme=programme, beneficiary_id=holder,
                coordinator=operator, territory_id=commune, region_id=region,
                title=f"Accompagnement {project}", starts_on=starts_on,
                ends_on=starts_on.replace(year=starts_on.year + 3), days_budget=Decimal(36),
                days_used=Decimal(HALF_DAYS) / 2,
                state="closed" if rng.random() < 0.05 else "open", created_by=manager,
            )  # fmt: skip

    bulk.insert(FollowUp, rows())


def _experts(ids, expert):
    from ecoquartier.followup.models import FollowUp

    through = FollowUp.experts.through
    bulk.insert(through, (through(followup_id=pk, user_id=expert.pk) for pk in ids))


DOMAINS = ["mobility", "planning", "biodiversity", "risks", "infrastructure", "energy",
           "participation", "finance"]  # fmt: skip
KINDS = ["framing", "advice_note", "indicators", "blank_expertise", "meeting", "workshop",
         "site_visit"]  # fmt: skip


def _activities(ids, expert, rng):
    """40 activities of 1 or 2 half-days (HALF_DAYS in all) over two years,
    each serving one commitment of the référentiel when it is loaded."""
    from datetime import timedelta

    from ecoquartier.followup.models import SupportActivity
    from ecoquartier.referentiel.models import Commitment

    first = SupportActivity.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    bulk.insert(
        SupportActivity,
        (
            SupportActivity(
                follow_up_id=pk,
                date=starts_on + timedelta(days=18 * i),
                expert=expert,
                half_days=1 + i % 2,
                domain=rng.choice(DOMAINS),
                kind=rng.choice(KINDS),
                notes="Intervention synthétique.",
                created_by=expert,
            )  # fmt: skip
            for pk, starts_on in ids.items()
            for i in range(ACTIVITIES_PER_FOLLOW_UP)
        ),
    )
    commitments = list(Commitment.objects.values_list("pk", flat=True))
    if not commitments:
        return
    through = SupportActivity.commitments.through
    activities = SupportActivity.objects.filter(pk__gt=first).values_list("pk", flat=True)
    bulk.insert(
        through,
        (through(supportactivity_id=a, commitment_id=rng.choice(commitments)) for a in activities),
    )


def _conventions(ids, operator, rng):
    """A convention per follow-up with its collectivité, the State and the operator; most in
    force, some waiting for a signature."""
    from ecoquartier.followup.models import Convention, ConventionParty, FollowUp
    from ecoquartier.organisations.models import Organisation

    state = Organisation.objects.filter(kind=Organisation.Kind.DGALN).first() or operator
    bulk.insert(
        Convention,
        (
            Convention(
                follow_up_id=pk,
                starts_on=starts_on,
                days_budget=36,
                object="Accompagnement.",
                state="in_force" if rng.random() < 0.8 else "sent",
            )  # fmt: skip
            for pk, starts_on in ids.items()
        ),
    )
    beneficiaries = dict(FollowUp.objects.filter(pk__in=ids).values_list("pk", "beneficiary_id"))
    conventions = Convention.objects.filter(follow_up_id__in=ids).values_list(
        "pk", "follow_up_id", "state", "starts_on"
    )
    bulk.insert(
        ConventionParty,
        (
            ConventionParty(
                convention_id=pk,
                organisation_id=organisation,
                role=role,
                order=order,
                signed_on=starts_on if status == "in_force" or role != "state" else None,
            )  # fmt: skip
            for pk, follow_up, status, starts_on in list(conventions)
            for order, (role, organisation) in enumerate(
                (
                    ("beneficiary", beneficiaries[follow_up]),
                    ("state", state.pk),
                    ("operator", operator.pk),
                )
            )  # fmt: skip
        ),
    )


def _plans(ids, rng):
    """Four milestones and deliverables per follow-up, the passed ones mostly accepted."""
    from datetime import date

    from ecoquartier.followup.models import Deliverable, FollowUp, Milestone
    from ecoquartier.followup.plan import months_later

    bulk.insert(
        Milestone,
        (
            Milestone(follow_up_id=pk, order=order, title=title,
                      due_on=months_later(starts_on, months))
            for pk, starts_on in ids.items()
            for order, (title, months) in enumerate(PHASES)
        ),
    )  # fmt: skip
    today = date.today()
    owners = dict(FollowUp.objects.filter(pk__in=ids).values_list("pk", "beneficiary_id"))
    milestones = Milestone.objects.filter(follow_up_id__in=ids).values_list(
        "pk", "follow_up_id", "title", "due_on"
    )

    def state(due_on):
        if due_on >= today:
            return "expected"
        return "accepted" if rng.random() < 0.8 else rng.choice(["expected", "submitted"])

    bulk.insert(
        Deliverable,
        (
            Deliverable(follow_up_id=follow_up, milestone_id=pk, title=f"Livrable — {title}",
                        due_on=due_on, owner_id=owners[follow_up], state=state(due_on))
            for pk, follow_up, title, due_on in list(milestones)
        ),
    )  # fmt: skip


def _grants(ids, operator, rng):
    """A grant per follow-up, its advance paid and its balance requested."""
    from decimal import Decimal

    from ecoquartier.followup.models import Grant, Instalment

    bulk.insert(
        Grant,
        (
            Grant(follow_up_id=pk, funder=operator, purpose="Études pré-opérationnelles",
                  amount=Decimal(20_000), paid=Decimal(6_000), convention_date=starts_on)
            for pk, starts_on in ids.items()
        ),
    )  # fmt: skip
    grants = Grant.objects.filter(follow_up_id__in=ids).values_list("pk", flat=True)
    bulk.insert(
        Instalment,
        (
            Instalment(grant_id=pk, kind=kind, amount=amount, state=state)
            for pk in list(grants)
            for kind, amount, state in (("advance", Decimal(6_000), "paid"),
                                        ("balance", Decimal(14_000), "requested"))
        ),
    )  # fmt: skip


def _step():
    from benchmarks.datasets import Step

    return Step("followup", lambda ds: f"v1:{ds.projects}", lambda ds: build())


# --- Scenarios --------------------------------------------------------------------------------


def sample_url(name):
    """`name` (a URL of the follow-up) for the sample project's follow-up."""

    def resolve():
        from django.urls import reverse

        from ecoquartier.followup.models import FollowUp

        follow_up = FollowUp.objects.get(project__slug=SAMPLE_SLUG, programme__slug=PROGRAMME_SLUG)
        return reverse(name, args=[follow_up.pk])

    return resolve


def _index(query=""):
    def resolve():
        from django.urls import reverse

        return reverse("followup:index") + query

    return resolve


def scenarios():
    from benchmarks.scenarios import BARE_URL, Scenario

    user = "followup_manager"
    return [
        Scenario("bare DSFR view (followup_manager)", BARE_URL, user=user, target=None),
        Scenario("follow-up dashboard", _index(), user=user, target=TARGET),
        Scenario("follow-up dashboard, page 10", _index("?page=10"), user=user, target=TARGET),
        Scenario("follow-up page", sample_url("followup:detail"), user=user, target=TARGET),
        Scenario("follow-up days", sample_url("followup:days"), user=user, target=TARGET),
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
    """The anonymous bare view (the yardstick every module shows) and the follow-up rows with
    the manager's own bare view."""
    from benchmarks import scenarios as base

    return [s for s in base.SCENARIOS if s.name == "bare DSFR view"] + scenarios()


def _worker(dataset, rounds):
    from benchmarks import domain, sample

    sample.BENCH_USERS.setdefault("followup_manager", MANAGER)
    domain.setup(dataset, lambda: [_step()])
    from benchmarks import measure
    from ecoquartier.followup.models import FollowUp, SupportActivity

    return {
        "follow_ups": FollowUp.objects.count(),
        "activities": SupportActivity.objects.count(),
        "scenarios": measure.measure(_chosen(), rounds),
    }


def main(argv=None):
    from benchmarks import domain

    description = "Follow-up benchmark (issue 14)."
    return domain.main("benchmarks.followup", description, _worker, _report, argv, environment())


def environment():
    from benchmarks import domain

    return domain.own_database("followup")


def _report(results):
    from benchmarks import domain

    small, large = results["small"], results["large"]
    title = (
        f"Follow-up: {large['follow_ups']} follow-ups and {large['activities']} activities "
        f"vs {small['follow_ups']} and {small['activities']}."
    )
    sizes = f"{small['follow_ups']}/{large['follow_ups']} follow-ups"
    return domain.report(results, _chosen(), title, sizes)


if __name__ == "__main__":
    sys.exit(main())
