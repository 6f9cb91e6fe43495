"""Counts for the campaign dashboard and the public key figures: GROUP BY queries on the
denormalised région columns, so their number does not grow with the data."""

from django.core.cache import cache
from django.db.models import Count, Q, Sum

from ecoquartier.labels.models import Charter, FileState, LabelFile, LabelStage, ProjectLabel
from ecoquartier.territories.models import Territory

EXPERTISE_DONE = (
    FileState.EXPERTISE_DONE, FileState.PROPOSED, FileState.ADJOURNED, FileState.NOT_PROPOSED,
    FileState.AWARDED, FileState.NOT_AWARDED,
)  # fmt: skip
PROPOSED = (FileState.PROPOSED, FileState.AWARDED, FileState.NOT_AWARDED)
# The public key figures are national aggregates read far more often than the label changes:
# cached for a few minutes, and forgotten as soon as a label step is recorded.
KEY_FIGURES_CACHE = "labels:key-figures"
KEY_FIGURES_SECONDS = 300
FUNNEL_COLUMNS = ("charters", "files", "expertises", "proposals", "awards")


def funnel(campaign, files=None):
    """[{region, charters, files, expertises, proposals, awards}] per région, plus a total row."""
    files = LabelFile.objects.filter(campaign=campaign) if files is None else files
    rows = {}
    per_region = files.values("region_id", "region__name").annotate(
        files=Count("pk"),
        expertises=Count("pk", filter=Q(state__in=EXPERTISE_DONE)),
        proposals=Count("pk", filter=Q(state__in=PROPOSED)),
        awards=Count("pk", filter=Q(state=FileState.AWARDED)),
    )
    for row in per_region:
        rows[row["region_id"]] = {"region": row["region__name"], "charters": 0, **row}
    region_ids = list(rows)
    charters = Charter.objects.filter(region_id__in=region_ids).values("region_id")
    for row in charters.annotate(n=Count("pk")):
        rows[row["region_id"]]["charters"] = row["n"]
    ordered = sorted(rows.values(), key=lambda r: r["region"] or "")
    total = {key: sum(r[key] for r in ordered) for key in FUNNEL_COLUMNS}
    return ordered, total


def cached_key_figures():
    return cache.get_or_set(KEY_FIGURES_CACHE, key_figures, KEY_FIGURES_SECONDS)


def forget_key_figures():
    cache.delete(KEY_FIGURES_CACHE)


def key_figures():
    """Projects per stage and per région, dwellings and the social-housing share: the standings
    counted by (stage, région) without a join, the dwellings summed in one join, then two small
    look-ups for the names (4 queries whatever the number of projects)."""
    groups = list(
        ProjectLabel.objects.values("stage_id", "region_id")
        .annotate(projects=Count("pk"))
        .order_by()
    )
    both = Q(project__dwellings__isnull=False, project__social_dwellings__isnull=False)
    totals = ProjectLabel.objects.aggregate(
        projects=Count("pk"),
        dwellings=Sum("project__dwellings"),
        social=Sum("project__social_dwellings", filter=both),
        with_social=Sum("project__dwellings", filter=both),
    )
    stages = LabelStage.objects.select_related("scheme").order_by(
        "scheme__applies_from", "position"
    )
    names = dict(
        Territory.objects.filter(pk__in={g["region_id"] for g in groups}).values_list("pk", "name")
    )
    per_stage = [
        {"scheme": s.scheme.name, "stage": s.name, "projects": n}
        for s in stages
        if (n := sum(g["projects"] for g in groups if g["stage_id"] == s.pk))
    ]
    share = None
    if totals["with_social"]:
        share = round(100 * (totals["social"] or 0) / totals["with_social"], 1)
    return {
        "per_stage": per_stage,
        "per_region": _per_region(groups, names),
        "totals": totals,
        "social_share": share,
    }


def _per_region(groups, names):
    counts = {}
    for group in groups:
        name = names.get(group["region_id"])
        counts[name] = counts.get(name, 0) + group["projects"]
    return [
        {"region": name, "projects": n}
        for name, n in sorted(counts.items(), key=lambda item: (item[0] is None, item[0] or ""))
    ]
