"""Operations on the geography that other layers (and the import) share.

Every function here runs a constant number of SQL queries, whatever the size of the geography.
"""

import re
from dataclasses import dataclass, field

from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import Case, F, IntegerField, Q, Value, When

from ecoquartier.core import prepared
from ecoquartier.core.generations import bump
from ecoquartier.territories.models import Territory, TerritoryAncestor
from ecoquartier.territories.text import fold, fold_query

FRANCE_CODE = "FR"
AUTOCOMPLETE_LIMIT = 10
MIN_QUERY_LENGTH = 2
_CODE = re.compile(r"^[0-9][0-9AB][0-9]{0,7}$")  # INSEE, postal, SIREN or a prefix of one
_SEPARATORS = re.compile(r"[\s,;]+")


def france():
    country, _ = Territory.objects.get_or_create(
        kind=Territory.Kind.COUNTRY,
        code=FRANCE_CODE,
        defaults={"name": "France", "search_name": fold("France")},
    )
    return country


def imported(kind, code):
    """The territory (kind, code) of the imported geography, for the commands that load data
    (France itself is made on demand); a CommandError saying what to run first when missing."""
    if kind == Territory.Kind.COUNTRY and code == FRANCE_CODE:
        return france()
    found = Territory.objects.filter(kind=kind, code=code).first()
    if found is None:
        raise CommandError(
            f"Territoire introuvable : {kind} {code}. "
            "Lancez d'abord « manage.py import_territories »."
        )
    return found


def link_ancestors(territory, ancestors):
    """Record that `territory` lies in each of `ancestors` (and in itself); idempotent."""
    wanted = {territory.pk} | {a.pk for a in ancestors if a is not None}
    existing = set(
        TerritoryAncestor.objects.filter(descendant=territory).values_list("ancestor_id", flat=True)
    )
    TerritoryAncestor.objects.bulk_create(
        TerritoryAncestor(descendant=territory, ancestor_id=pk) for pk in wanted - existing
    )
    bump("territories")  # Bulk writes send no signal; containment changed.


# --- Containment ------------------------------------------------------------------------------


def contains(perimeter, territory):
    """Is `territory` inside `perimeter` (or the same)? One query. Both may be ids."""
    return TerritoryAncestor.objects.filter(descendant=territory, ancestor=perimeter).exists()


@transaction.atomic
def define_custom_perimeter(code, name, members):
    """A perimeter made of other territories (say three départements for an interregional call).

    Everything inside a member is linked to it, and it is linked to what contains all members
    (France, or their common région), so containment queries treat it like any level. Calling
    again with other members replaces the links. A handful of queries plus batched inserts."""
    perimeter, _ = Territory.objects.update_or_create(
        kind=Territory.Kind.CUSTOM, code=code, defaults={"name": name, "search_name": fold(name)}
    )
    TerritoryAncestor.objects.filter(Q(ancestor=perimeter) | Q(descendant=perimeter)).delete()
    member_ids = {m.pk if isinstance(m, Territory) else m for m in members}
    links = list(
        TerritoryAncestor.objects.filter(
            Q(ancestor_id__in=member_ids) | Q(descendant_id__in=member_ids)
        ).values_list("descendant_id", "ancestor_id")
    )
    inside = {perimeter.pk} | {d for d, a in links if a in member_ids}
    above = [{a for d, a in links if d == m and a != m} for m in member_ids]
    containing = set.intersection(*above) if above else set()
    TerritoryAncestor.objects.bulk_create(
        [TerritoryAncestor(descendant_id=pk, ancestor=perimeter) for pk in inside]
        + [TerritoryAncestor(descendant=perimeter, ancestor_id=pk) for pk in containing],
        batch_size=5000,
    )
    bump("territories")
    return perimeter


def perimeters_containing(territory):
    """Lazy QuerySet of every territory containing `territory`, itself included; use it in
    `filter(perimeter__in=...)` to find calls, services or projects in one query."""
    return Territory.objects.containing(territory)


def ancestors(territory, include_self=False):
    """[commune,] EPCI, département, région, France (and custom perimeters), nearest first.
    One query."""
    queryset = Territory.objects.containing(territory).nearest_first()
    if not include_self:
        pk = territory.pk if isinstance(territory, Territory) else territory
        queryset = queryset.exclude(pk=pk)
    return list(queryset)


# Hot paths (the aid finder, eligibility) read containment in plain SQL over the flattened
# table: these statements cost the ORM more to build than the database to run.
def _link_columns():
    meta = TerritoryAncestor._meta
    return meta.db_table, meta.get_field("ancestor").column, meta.get_field("descendant").column


def containment(territory_id):
    """(ids of the territories containing `territory_id` as linked — every territory is linked to
    itself; whether it contains any other territory — a commune does not), in one statement. A
    territory resolved from a filter form carries it already (`_active_of_kinds`)."""
    table, ancestor, descendant = _link_columns()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {ancestor}, 0 FROM {table} WHERE {descendant} = %s "
            f"UNION ALL SELECT NULL, 1 WHERE EXISTS (SELECT 1 FROM {table} "
            f"WHERE {ancestor} = %s AND {descendant} <> %s)",
            [territory_id, territory_id, territory_id],
        )
        rows = cursor.fetchall()
    ancestors = frozenset(pk for pk, other in rows if not other)
    return ancestors, any(other for _pk, other in rows)


def with_ancestor_ids(territory_id):
    """(the territory, the ids of the territories containing it, itself included) in one
    statement; (None, {territory_id}) when it does not exist."""
    table, ancestor, descendant = _link_columns()
    meta = Territory._meta
    rows = list(
        Territory.objects.raw(
            f"SELECT t.*, a.{ancestor} AS containing_id FROM {meta.db_table} t "
            f"LEFT JOIN {table} a ON a.{descendant} = t.{meta.pk.column} "
            f"WHERE t.{meta.pk.column} = %s",
            [territory_id],
        )
    )
    ids = frozenset(row.containing_id for row in rows if row.containing_id is not None)
    return (rows[0] if rows else None), ids | {territory_id}


# --- Autocomplete -----------------------------------------------------------------------------


def autocomplete(query, kinds=(), limit=AUTOCOMPLETE_LIMIT):
    """Active territories matching `query` by name, INSEE/SIREN code or postal code, best first.

    Ranking: exact code or postal code; then codes, or folded names, starting with the query;
    then names with a later word starting with it. Ties: the most populated first, so
    "saint ouen" gives Saint-Ouen-sur-Seine before its homonyms. One or two queries.
    """
    folded = fold_query(query)
    if len(folded) < MIN_QUERY_LENGTH:
        return []
    candidates = (
        Territory.objects.active()
        .of_kinds(kinds)
        .select_related("departement")
        .order_by(F("population").desc(nulls_last=True), "name", "code")
    )
    code = re.sub(r"\s+", "", query).upper()
    if _CODE.match(code):
        return _by_code(candidates, code, limit)
    # Names starting with the query come from an index; the word search scans the table, so it
    # runs only when the first query leaves room.
    found = list(candidates.filter(_prefix("search_name", folded))[:limit])
    if len(found) < limit:
        found += candidates.filter(search_name__contains=f" {folded}").exclude(
            _prefix("search_name", folded)
        )[: limit - len(found)]
    return found


def _prefix(field_name, prefix):
    """A prefix match an index can serve. SQLite's LIKE is case-insensitive and cannot use an
    index, so use a range there (folded text is ASCII, below DEL); PostgreSQL's LIKE uses the
    varchar_pattern_ops index Django creates for indexed text columns."""
    if connection.vendor == "sqlite":
        return Q(**{f"{field_name}__gte": prefix, f"{field_name}__lt": prefix + "\x7f"})
    return Q(**{f"{field_name}__startswith": prefix})


def _by_code(candidates, code, limit):
    """Exact INSEE/SIREN or postal code first, then codes starting with the query. One query.
    Postal codes are stored space-separated, and a run of digits never spans a space."""
    exact = Q(code=code)
    if len(code) == 5:
        exact |= Q(postal_codes__contains=code)
    prefix = (
        Q(code__startswith=code)
        | Q(postal_codes__startswith=code)
        | Q(postal_codes__contains=f" {code}")
    )
    rank = Case(When(exact, then=Value(0)), default=Value(1), output_field=IntegerField())
    return list(
        candidates.filter(exact | prefix)
        .annotate(rank=rank)
        .order_by("rank", *candidates.query.order_by)[:limit]
    )


# --- Form values ------------------------------------------------------------------------------


@dataclass
class Resolution:
    territories: list = field(default_factory=list)  # in the order given, without duplicates
    unknown: list = field(default_factory=list)
    ambiguous: list = field(default_factory=list)


def split_tokens(values):
    """Form values ("93070, 04160", "commune:93070", ...) -> tokens, upper-cased codes."""
    tokens = []
    for value in values:
        for token in _SEPARATORS.split(str(value or "")):
            kind, sep, code = token.rpartition(":")
            if code:
                tokens.append(f"{kind.lower()}{sep}{code.upper()}")
    return tokens


def _active_of_kinds(kinds, tokens):
    """The active territories of `kinds` that `tokens` may designate — those of a token's kind
    and code ("commune:04160"), and those of any of `kinds` with a bare token's code — in plain
    SQL: every filter form resolves its territories, the ORM took longer to build this statement
    than the database to run it, and naming each kind lets the (kind, code) index answer."""
    meta, quote = Territory._meta, connection.ops.quote_name
    active, code, kind = (quote(meta.get_field(f).column) for f in ("is_active", "code", "kind"))
    allowed = list(kinds or Territory.Kind.values)
    pairs, bare = set(), set()
    for token in tokens:
        prefix, _sep, value = token.rpartition(":")
        if "\x00" in token:  # Unknown: PostgreSQL would refuse it in the query.
            continue
        if prefix:
            if prefix in allowed:
                pairs.add((prefix, value))
        else:
            bare.add(value)
    conditions, params = [], []
    for pair in sorted(pairs):
        conditions.append(f"({kind} = %s AND {code} = %s)")
        params += pair
    if bare:
        conditions.append(f"({kind} IN ({_marks(allowed)}) AND {code} IN ({_marks(bare)}))")
        params += [*allowed, *sorted(bare)]
    if not conditions:
        return []
    # Each with its containment (what `containment()` reads): the finder searches by it, and
    # another round trip to the database cost a search more than these two subqueries. Read
    # without a RawQuerySet (whose column mapping cost more than the query) and prepared on
    # PostgreSQL (core/prepared.py): the finder resolves a territory at each new search.
    table, ancestor, descendant = _link_columns()
    pk = quote(meta.pk.column)
    listed = (
        f"string_agg({ancestor}::text, ',')"
        if connection.vendor == "postgresql"
        else f"group_concat({ancestor}, ',')"
    )
    names, columns, converters = _territory_columns()
    sql = (
        f"SELECT {columns}, (SELECT {listed} FROM {table} WHERE {descendant} = t.{pk}) "
        f"AS eq_ancestors, EXISTS (SELECT 1 FROM {table} WHERE {ancestor} = t.{pk} AND "
        f"{descendant} <> t.{pk}) AS eq_contains_others FROM {quote(meta.db_table)} t "
        f"WHERE {active} AND ({' OR '.join(conditions)})"
    )
    with prepared.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    found = []
    for *values, ancestors, contains_others in rows:
        for index, column, steps in converters:
            values[index] = prepared.convert(values[index], column, steps)
        territory = Territory.from_db(connection.alias, names, values)
        ids = str(ancestors or "").split(",")
        territory.containment = (frozenset(int(i) for i in ids if i), bool(contains_others))
        found.append(territory)
    return found


_TERRITORY_COLUMNS = {}


def _territory_columns():
    """(attribute names, SQL columns of alias t, [(index, column, its converters)] of the columns
    that have converters) of Territory's concrete fields, as the ORM would read them on this
    database; made once per database."""
    if connection.vendor not in _TERRITORY_COLUMNS:
        fields = Territory._meta.concrete_fields
        read = [prepared.column(field, "t") for field in fields]
        _TERRITORY_COLUMNS[connection.vendor] = (
            [field.attname for field in fields],
            ", ".join(expression for expression, _column, _steps in read),
            [(i, column, steps) for i, (_e, column, steps) in enumerate(read) if steps],
        )
    return _TERRITORY_COLUMNS[connection.vendor]


def _marks(values):
    return ", ".join(["%s"] * len(values))


def resolve_tokens(tokens, kinds=(), queryset=None):
    """Map tokens ("93070" or "commune:93070") to territories of `kinds`. One query.
    A bare code shared by several kinds (région 84, département 84) is reported as ambiguous."""
    if not tokens:
        return Resolution()
    # A code with a NUL byte is unknown: PostgreSQL would refuse it in the query.
    codes = sorted({token.rpartition(":")[2] for token in tokens if "\x00" not in token})
    if queryset is None:
        found = _active_of_kinds(kinds, tokens)
    else:
        found = queryset.of_kinds(kinds).filter(code__in=codes).order_by()
    by_code = {}
    for territory in found:
        by_code.setdefault(territory.code, []).append(territory)
    resolution, seen = Resolution(), set()
    for token in tokens:
        kind, _, code = token.rpartition(":")
        matches = [t for t in by_code.get(code, []) if not kind or t.kind == kind]
        if len(matches) > 1:
            resolution.ambiguous.append(token)
        elif not matches:
            resolution.unknown.append(token)
        elif matches[0].pk not in seen:
            seen.add(matches[0].pk)
            resolution.territories.append(matches[0])
    return resolution
