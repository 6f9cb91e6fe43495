"""What the busiest project pages read, as plain rows and in as few statements as possible.

The project list and the project page are the most visited pages. A template reading plain dicts
whose URL, labels and joined names are already computed spends a tenth of what it spends on model
instances with related managers (20 cards: 3.5 ms → 0.3 ms), and every ORM statement costs about
0.3 ms to build before the database sees it, as much as the whole bare page. So these pages read
only the columns they show, and the relations of a project (or of a page of projects) in one
plain SQL statement over the link tables (table and column names come from the models, so the
same SQL runs on SQLite and PostgreSQL). See ADR 0017 and `make bench`.
"""

from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from ecoquartier.core.generations import current
from ecoquartier.projects.models import Project
from ecoquartier.projects.permissions import visible_private_projects
from ecoquartier.projects.taxonomy import taxonomy_choices

GENERATION = "projects"
# The key holds the generation: the timeout only frees memory.
PUBLIC_COUNT_SECONDS = 24 * 3600

CARD_FIELDS = ("pk", "slug", "name", "summary", "stage", "is_public")
_SLUG = "--slug--"


def card_queryset(projects):
    """`projects` in the list order (newest first), as dicts of what a card shows."""
    return projects.order_by("-updated_at", "-pk").values(*CARD_FIELDS)


def unfiltered_count(user):
    """How many projects the unfiltered list shows `user`, without counting every public project
    on each request: their number is cached per `projects` generation (ADR 17 and 19: it moves
    with every change of a project), then the private ones `user` may see are counted (their
    holders' few, through the link tables). None for a superuser, who sees them all."""
    if user.is_authenticated and user.is_superuser:
        return None
    (generation,) = current(GENERATION)
    key = f"projects:public-count:{generation}"
    public = cache.get(key)
    if public is None:
        public = Project.objects.filter(is_public=True).count()
        cache.set(key, public, PUBLIC_COUNT_SECONDS)
    return public + visible_private_projects(user).count()


def card_rows(rows):
    """The rows of one page, each with its `url`, `stage_label`, `communes` and `holders`."""
    rows = list(rows)
    communes, holders = _names([row["pk"] for row in rows])
    url = reverse("projects:detail", kwargs={"slug": _SLUG})
    stages = {value: str(label) for value, label in Project.Stage.choices}
    for row in rows:
        row["url"] = url.replace(_SLUG, row["slug"])  # Slugs need no URL quoting.
        row["stage_label"] = stages.get(row["stage"], row["stage"])
        row["communes"] = ", ".join(communes.get(row["pk"], ()))
        row["holders"] = ", ".join(holders.get(row["pk"], ()))
    return rows


def _names(project_ids):
    """({project id: commune names}, {project id: holder names}), alphabetical, in one query."""
    if not project_ids:
        return {}, {}
    parts = [
        _link_select(field, f"{kind}, l.{{owner}}, t.name, t.{{pk}}", owners=len(project_ids))
        for kind, field in ((0, Project.communes.field), (1, Project.holders.field))
    ]
    names = ({}, {})
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts) + " ORDER BY 1, 3, 4", project_ids * 2)
        for kind, project_id, name, _pk in cursor.fetchall():
            names[kind].setdefault(project_id, []).append(name)
    return names


def project_relations(project):
    """The communes (with their département), holders and taxonomy of one project, in one query:

    {"communes": [{"kind", "code", "name", "departement"}], "holders": [{"pk", "name"}],
     "operation_types": [labels], "themes": [labels], "hooks": [labels]}
    """
    communes_field, holders_field = Project.communes.field, Project.holders.field
    territory = communes_field.related_model._meta
    departement = territory.get_field("departement").column
    parts = [
        _link_select(
            communes_field,
            "'communes', t.{pk}, t.kind, t.code, t.name, d.name",
            f"LEFT JOIN {territory.db_table} d ON d.{territory.pk.column} = t.{departement}",
        ),
        _link_select(holders_field, "'holders', t.{pk}, NULL, NULL, t.name, NULL"),
    ]
    taxonomy = ("operation_types", "themes", "hooks")
    for name in taxonomy:
        parts.append(
            _link_select(
                getattr(Project, name).field,
                f"'{name}', l.{{link}}, NULL, NULL, NULL, NULL",
                join=False,
            )
        )
    relations = {name: [] for name in ("communes", "holders", *taxonomy)}
    sql = " UNION ALL ".join(parts) + " ORDER BY 1, 5, 2"
    with connection.cursor() as cursor:
        cursor.execute(sql, [project.pk] * len(parts))
        rows = cursor.fetchall()
    chosen = set()
    for part, pk, kind, code, name, departement_name in rows:
        if part == "communes":
            relations[part].append(
                {"kind": kind, "code": code, "name": name, "departement": departement_name}
            )
        elif part == "holders":
            relations[part].append({"pk": pk, "name": name})
        else:
            chosen.add((part, pk))
    for name in taxonomy:  # In the taxonomy's own order, with its cached labels.
        relations[name] = [label for pk, label in taxonomy_choices(name) if (name, pk) in chosen]
    return relations


def _link_select(field, columns, extra_join="", join=True, owners=1):
    """SELECT `columns` FROM the link table `l` of a many-to-many `field` of Project (joined to
    its target `t` unless join=False) for `owners` projects (as many parameters). `columns` may
    name {owner}, {link} (the link table's columns) and {pk} (the target's key)."""
    through, target = field.remote_field.through._meta, field.related_model._meta
    owner = through.get_field(field.m2m_field_name()).column
    link = through.get_field(field.m2m_reverse_field_name()).column
    columns = columns.format(pk=target.pk.column, link=link, owner=owner)
    sql = f"SELECT {columns} FROM {through.db_table} l "
    if join:
        sql += f"JOIN {target.db_table} t ON t.{target.pk.column} = l.{link} {extra_join} "
    return sql + f"WHERE l.{owner} IN ({', '.join(['%s'] * owners)})"
