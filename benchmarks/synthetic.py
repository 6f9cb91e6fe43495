"""Synthetic territorial projects over the real communes, written with bulk_create.

Deterministic (fixed seed), so the small and the large dataset hold the same sample project
(`sample.SAMPLE_SLUG`, the fullest shape: two holders, two communes, themes, hooks, operation
types and a timeline) and the query counts of its page can be compared between them.
"""

import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from benchmarks.sample import BENCH_USERS, SAMPLE_COMMUNE, SLUG_PREFIX
from ecoquartier.core.models import ActivityEvent, ActivityTarget
from ecoquartier.organisations.models import Membership, Organisation
from ecoquartier.projects.models import OperationType, Project, Theme
from ecoquartier.territories.models import Territory
from ecoquartier.territories.text import fold

EVENTS_PER_PROJECT = 3
BATCH = 500
WORDS = (
    "Écoquartier des Rives", "Quartier de la Gare", "Cœur de bourg", "Les Jardins",
    "ZAC du Moulin", "Faubourg", "Friche des Docks", "Plateau", "Prairie", "Îlot Central",
)  # fmt: skip


@dataclass
class Commune:
    pk: int
    name: str
    code: str
    population: int
    epci_id: int | None
    siren: str


def build_projects(count, seed=2026):
    """Add `count` projects, with their holders and timeline, to a database that has none."""
    rng = random.Random(seed)
    with transaction.atomic():
        communes = _communes()
        picks = _pick_communes(communes, count, rng)
        orgs = _commune_organisations(picks)
        epci_orgs = _epci_organisations(picks)
        projects = [_project(i, commune, rng) for i, commune in enumerate(picks, start=1)]
        Project.objects.bulk_create(projects, batch_size=BATCH)
        projects = list(Project.objects.filter(slug__startswith=SLUG_PREFIX).order_by("slug"))
        _link_relations(projects, picks, communes, orgs, epci_orgs, rng)
        _timelines(projects)
        _bench_users(orgs[picks[0].pk])
    return len(projects)


def _communes():
    rows = Territory.objects.communes().filter(is_active=True)
    return {
        pk: Commune(pk, name, code, population or 0, epci_id, siren)
        for pk, name, code, population, epci_id, siren in rows.values_list(
            "pk", "name", "code", "population", "epci_id", "siren"
        )
    }


def _pick_communes(communes, count, rng):
    """The sample commune first, then communes drawn with a weight growing with population."""
    ordered = sorted(communes.values(), key=lambda c: c.code)
    first = next((c for c in ordered if c.code == SAMPLE_COMMUNE), ordered[0])
    weights = [max(c.population, 1) ** 0.5 for c in ordered]
    return [first, *rng.choices(ordered, weights=weights, k=count - 1)]


ORGANISATION_NAMES = {
    Organisation.Kind.COMMUNE: "Commune de {}",
    Organisation.Kind.EPCI: "{}",
}


def _organisations(kind, territories):
    """{territory pk: Organisation}, creating the missing ones (one per kind and territory)."""
    wanted = {t.pk: t for t in territories}
    existing = {
        o.territory_id: o for o in Organisation.objects.filter(kind=kind, territory_id__in=wanted)
    }
    Organisation.objects.bulk_create(
        [
            Organisation(
                kind=kind,
                territory_id=pk,
                name=ORGANISATION_NAMES[kind].format(t.name),
                siren=t.siren,
                has_planning_competence=True,
            )
            for pk, t in wanted.items()
            if pk not in existing
        ],
        batch_size=BATCH,
    )
    return {
        o.territory_id: o for o in Organisation.objects.filter(kind=kind, territory_id__in=wanted)
    }


def _commune_organisations(picks):
    return _organisations(Organisation.Kind.COMMUNE, picks)


def _epci_organisations(picks):
    epcis = Territory.objects.filter(pk__in={c.epci_id for c in picks if c.epci_id})
    return _organisations(Organisation.Kind.EPCI, epcis)


def _project(index, commune, rng):
    name = f"{rng.choice(WORDS)} — {commune.name}"
    dwellings = rng.randint(20, 1500)
    located = index == 1 or rng.random() < 0.7
    return Project(
        name=name,
        # Project.save() derives search_name; bulk_create does not call save().
        search_name=fold(name),
        slug=f"{SLUG_PREFIX}{index:05d}",
        summary=f"Projet d'aménagement durable à {commune.name}.",
        description="Projet synthétique généré pour mesurer les performances.\n" * 5,
        stage=rng.choice(Project.Stage.values),
        area_ha=rng.randint(1, 80),
        dwellings=dwellings,
        social_dwellings=rng.randint(0, dwellings // 2),
        inhabitants=dwellings * 2,
        jobs=rng.randint(0, 400),
        latitude=round(rng.uniform(43.0, 50.5), 6) if located else None,
        longitude=round(rng.uniform(-1.5, 7.5), 6) if located else None,
        is_public=index == 1 or rng.random() < 0.8,
    )


def _link_relations(projects, picks, communes, orgs, epci_orgs, rng):
    """Holders, communes, themes, hooks and operation types through the M2M tables."""
    themes = list(Theme.objects.filter(kind=Theme.Kind.THEME).values_list("pk", flat=True))
    hooks = list(Theme.objects.filter(kind=Theme.Kind.HOOK).values_list("pk", flat=True))
    op_types = list(OperationType.objects.values_list("pk", flat=True))
    neighbours = _communes_by_epci(communes)
    rows = {name: [] for name in ("holders", "communes", "themes", "hooks", "operation_types")}
    for i, (project, commune) in enumerate(zip(projects, picks, strict=True)):
        full = i == 0  # The sample project has every kind of relation.
        rows["holders"].append((project.pk, orgs[commune.pk].pk))
        if commune.epci_id in epci_orgs and (full or rng.random() < 0.3):
            rows["holders"].append((project.pk, epci_orgs[commune.epci_id].pk))
        rows["communes"].append((project.pk, commune.pk))
        others = [pk for pk in neighbours.get(commune.epci_id, ()) if pk != commune.pk]
        if others and (full or rng.random() < 0.2):
            rows["communes"].append((project.pk, rng.choice(others)))
        for name, pool, low, high in (
            ("themes", themes, 2, 4),
            ("hooks", hooks, 1, 2),
            ("operation_types", op_types, 1, 2),
        ):
            size = min(len(pool), high if full else rng.randint(low, high))
            rows[name] += [(project.pk, pk) for pk in rng.sample(pool, size)]
    for name, pairs in rows.items():
        _bulk_link(name, pairs)


def _communes_by_epci(communes):
    by_epci = {}
    for commune in communes.values():
        if commune.epci_id:
            by_epci.setdefault(commune.epci_id, []).append(commune.pk)
    return by_epci


def _bulk_link(field_name, pairs):
    field = Project._meta.get_field(field_name)
    through = field.remote_field.through
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    through.objects.bulk_create(
        [through(**{f"{source}_id": a, f"{target}_id": b}) for a, b in pairs],
        batch_size=BATCH,
        ignore_conflicts=True,
    )


def _timelines(projects):
    """A short activity history per project, so project pages show a real timeline."""
    events = [
        ActivityEvent(verb=verb, summary=f"{summary} « {p.name} »"[:300], changes={})
        for p in projects
        for verb, summary in (
            ("project.created", "Création du projet"),
            ("project.updated", "Mise à jour des chiffres clés du projet"),
            ("project.updated", "Mise à jour de la description du projet"),
        )[:EVENTS_PER_PROJECT]
    ]
    ActivityEvent.objects.bulk_create(events, batch_size=BATCH)
    ct = ContentType.objects.get_for_model(Project)
    targets = [
        ActivityTarget(event=event, content_type=ct, object_id=str(p.pk), label=p.name[:300])
        for p, start in zip(projects, range(0, len(events), EVENTS_PER_PROJECT), strict=True)
        for event in events[start : start + EVENTS_PER_PROJECT]
    ]
    ActivityTarget.objects.bulk_create(targets, batch_size=BATCH)


def _bench_users(sample_holder):
    """A member of the sample project's holder, for the scenarios that need a login."""
    user, _ = get_user_model().objects.get_or_create(
        email=BENCH_USERS["holder"], defaults={"first_name": "Porteuse", "last_name": "Bench"}
    )
    Membership.objects.get_or_create(
        user=user, organisation=sample_holder, defaults={"role": Membership.Role.PROJECT_HOLDER}
    )
