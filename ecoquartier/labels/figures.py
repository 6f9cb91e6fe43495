"""Counts for the campaign dashboard and the public key figures: GROUP BY queries on the
denormalised région columns, so their number does not grow with the data."""

from django.db.models import Count, Q, Sum

from ecoquartier.labels.models import Charter, FileState, LabelFile, ProjectLabel

EXPERTISE_DONE = (
    FileState.EXPERTISE_DONE, FileState.PROPOSED, FileState.ADJOURNED, FileState.NOT_PROPOSED,
    FileState.AWARDED, FileState.NOT_AWARDED,
)  # fmt: skip
PROPOSED = (FileState.PROPOSED, FileState.AWARDED, FileState.NOT_AWARDED)
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


def key_figures():
    """Projects per stage and per région, dwellings and the social-housing share (3 queries)."""
    labelled = ProjectLabel.objects.all()
    per_stage = list(
        labelled.values(
            "stage__scheme__name", "stage__name", "stage__scheme__applies_from", "stage__position"
        )  # fmt: skip
        .annotate(projects=Count("pk"))
        .order_by("stage__scheme__applies_from", "stage__position")
    )
    per_region = list(
        labelled.values("region__name").annotate(projects=Count("pk")).order_by("region__name")
    )
    totals = labelled.aggregate(
        projects=Count("pk"),
        dwellings=Sum("project__dwellings"),
        social=Sum("project__social_dwellings", filter=Q(project__dwellings__isnull=False)),
        with_dwellings=Sum("project__dwellings", filter=Q(project__social_dwellings__isnull=False)),
    )
    share = None
    if totals["with_dwellings"]:
        share = round(100 * (totals["social"] or 0) / totals["with_dwellings"], 1)
    return {
        "per_stage": per_stage,
        "per_region": per_region,
        "totals": totals,
        "social_share": share,
    }
