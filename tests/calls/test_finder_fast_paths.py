"""The uncached finder's fast paths (ADR 22) give what the slow ones gave: SQLite's full-text
index finds the calls the LIKE search found, and stays in step with every write; the plain SQL
statement returns the ORM's rows in the ORM's order; cached cards and filter fields follow every
change of a call, and an organisation's verdicts are never shown to another one."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from ecoquartier.calls import fts, open_words, plain
from ecoquartier.calls.models import Call
from ecoquartier.calls.search import FinderQuery, Rows, ranked
from ecoquartier.calls.text import stems
from tests.calls.factories import CallFactory
from tests.organisations.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

TEXTS = (
    "friches",
    "FRICHE",
    "Écoquartier",
    "ecoquartiers",
    "entrées de ville",
    "Entree",
    "territoriaux friches",
    "reconversion urbaine",
    "quartier",
    "2026",
    "absent",
    # Stop words only (no word to match), a word left out, a phrase, either word.
    "de la",
    "-friches quartier",
    '"entrées de ville"',
    "friches OR quartier",
)


@pytest.fixture
def calls(geo):
    made = [
        CallFactory(title="Reconversion de friches urbaines", perimeter=geo.paca),
        CallFactory(
            title="Label ÉcoQuartier 2026",
            summary="Les entrées de ville et les friches.",
            perimeter=geo.france,
        ),
        CallFactory(
            title="Appel des Alpes",
            summary="Projets territoriaux.",
            presentation="Une friche, des quartiers, une entrée de ville.",
            perimeter=geo.alpes_hp,
        ),
        CallFactory(title="Quartiers de Banon", perimeter=geo.banon),
        CallFactory(title="Friche bretonne", perimeter=geo.bretagne),
        CallFactory(
            title="Friches closes", perimeter=geo.paca, deadline=timezone.now() - timedelta(days=2)
        ),
    ]
    return made


def queries(geo):
    territories = (None, geo.reillanne, geo.paca, geo.alpes_hp, geo.brest)
    return [FinderQuery(territory=t, text=text) for t in territories for text in TEXTS]


def like_ids(query):
    """The matches of the LIKE search, whatever index the database has."""
    saved = getattr(connection, "calls_fts", None)
    connection.calls_fts = False
    try:
        return list(ranked(query).values_list("pk", flat=True))
    finally:
        connection.calls_fts = saved


# --- SQLite's full-text index -----------------------------------------------------------------


@pytest.fixture
def sqlite_fts(db):
    if connection.vendor != "sqlite" or not fts.supported(connection):
        pytest.skip("SQLite with FTS5 only")


def test_the_full_text_index_finds_what_the_like_search_found(sqlite_fts, geo, calls):
    assert fts.available(connection)
    found_any = 0
    for query in queries(geo):
        assert list(ranked(query).values_list("pk", flat=True)) == like_ids(query), query
        found_any += bool(like_ids(query))
    assert found_any > 20  # The comparison is not between empty lists.


def fts_ids(words):
    with connection.cursor() as cursor:
        cursor.execute(fts.matching_ids_sql(), [fts.match_expression(stems(words))])
        return {row[0] for row in cursor.fetchall()}


def test_the_full_text_index_follows_every_write(sqlite_fts, geo):
    call = CallFactory(title="Reconversion de friches", perimeter=geo.paca)
    assert fts_ids("friches") == {call.pk}
    call.title = "Entrées de ville"
    call.save()
    assert fts_ids("friches") == set()
    assert fts_ids("entrées de ville") == {call.pk}
    # A queryset update and a bulk insert write no Python signal: the triggers still follow.
    Call.objects.filter(pk=call.pk).update(search_summary=" frich ")
    assert fts_ids("Friche") == {call.pk}
    call.delete()
    assert fts_ids("Friche") == set() and fts_ids("entrée") == set()


def test_lost_triggers_are_put_back_and_the_index_rebuilt_after_migrations(sqlite_fts, geo):
    call = CallFactory(title="Friches", perimeter=geo.paca)
    with connection.cursor() as cursor:
        for sql in fts.DROP_TRIGGERS:  # As when a migration rebuilds calls_call on SQLite.
            cursor.execute(sql)
    Call.objects.filter(pk=call.pk).update(search_title=" entre vill ")
    assert fts.ensure(connection)
    assert fts_ids("entrée") == {call.pk} and fts_ids("friches") == set()
    assert not fts.ensure(connection)  # Nothing to do any more.


def fts_ids_in(words, perimeters):
    with connection.cursor() as cursor:
        cursor.execute(fts.matching_ids_sql(), [fts.match_expression(stems(words), perimeters)])
        return {row[0] for row in cursor.fetchall()}


def test_the_index_intersects_words_and_perimeters_and_follows_a_move(sqlite_fts, geo):
    in_paca = CallFactory(title="Reconversion de friches", perimeter=geo.paca)
    national = CallFactory(title="Friches nationales", perimeter=geo.france)
    CallFactory(title="Friche bretonne", perimeter=geo.bretagne)
    CallFactory(title="Quartiers", perimeter=geo.paca)
    assert fts_ids_in("friches", {geo.paca.pk, geo.france.pk}) == {in_paca.pk, national.pk}
    Call.objects.filter(pk=in_paca.pk).update(perimeter=geo.bretagne)  # no signal: the trigger
    assert fts_ids_in("friches", {geo.paca.pk, geo.france.pk}) == {national.pk}


def test_a_number_searched_never_matches_a_perimeter_id(sqlite_fts, geo):
    call = CallFactory(title="Quartiers", perimeter=geo.paca)
    assert fts_ids(str(geo.paca.pk)) == set()
    assert fts_ids_in(str(geo.paca.pk), {geo.paca.pk}) == set()
    numbered = CallFactory(title=f"Appel {geo.paca.pk}", perimeter=geo.bretagne)
    assert fts_ids(str(geo.paca.pk)) == {numbered.pk} != {call.pk}


def test_an_index_without_the_perimeter_column_is_replaced(sqlite_fts, geo):
    call = CallFactory(title="Friches", perimeter=geo.paca)
    old_columns = ", ".join(fts.COLUMNS)
    with connection.cursor() as cursor:  # Migration 0008's index.
        for sql in [*fts.DROP_TRIGGERS, f"DROP TABLE {fts.TABLE}"]:
            cursor.execute(sql)
        cursor.execute(
            f"CREATE VIRTUAL TABLE {fts.TABLE} USING fts5({old_columns}, content='calls_call', "
            "content_rowid='id', tokenize='unicode61', detail='column')"
        )
    assert fts.ensure(connection)
    assert fts_ids_in("friches", {geo.paca.pk}) == {call.pk}
    assert not fts.ensure(connection)


# --- The open calls' index (ADR 26) -----------------------------------------------------------


def open_index():
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT rowid FROM {fts.OPEN_TABLE}")
        ids = {row[0] for row in cursor.fetchall()}
        cursor.execute(f"SELECT horizon FROM {fts.HORIZON}")
        (horizon,) = cursor.fetchone()
    return ids, horizon


def open_at_horizon():
    ids, horizon = open_index()
    moment = datetime.fromisoformat(horizon).replace(tzinfo=UTC)  # SQLite stores UTC, naive.
    expected = set(Call.objects.filter(deadline_order__gte=moment).values_list("pk", flat=True))
    return ids, expected


def test_the_open_calls_index_holds_exactly_the_calls_open_at_its_horizon(sqlite_fts, geo):
    now = timezone.now()
    soon = CallFactory(title="Friches", perimeter=geo.paca, deadline=now + timedelta(days=3))
    closed = CallFactory(title="Friches", perimeter=geo.paca, deadline=now - timedelta(days=3))
    endless = CallFactory(title="Friches", perimeter=geo.paca, deadline=None)
    ids, expected = open_at_horizon()
    assert ids == expected and soon.pk in ids and endless.pk in ids and closed.pk not in ids
    # Every write keeps it so: a deadline put back or moved on, a call deleted, bulk updates.
    Call.objects.filter(pk=soon.pk).update(closes_at=now - timedelta(days=1))
    Call.objects.filter(pk=closed.pk).update(closes_at=now + timedelta(days=30))
    ids, expected = open_at_horizon()
    assert ids == expected and closed.pk in ids and soon.pk not in ids
    endless.delete()
    ids, expected = open_at_horizon()
    assert ids == expected and endless.pk not in ids
    # It finds a word of an open call in its perimeter, as the whole index does.
    with connection.cursor() as cursor:
        sql, params = fts.matching_open_ids_sql(
            connection.ops.adapt_datetimefield_value(now),
            fts.match_expression(stems("friches"), {geo.paca.pk}),
        )
        cursor.execute(sql, params)
        assert {row[0] for row in cursor.fetchall()} == {closed.pk}


def test_the_horizon_moves_forward_only_and_forgets_the_calls_closed_meanwhile(sqlite_fts, geo):
    now = timezone.now()
    tomorrow = CallFactory(title="Friches", perimeter=geo.paca, deadline=now + timedelta(days=1))
    later = CallFactory(title="Friches", perimeter=geo.paca, deadline=now + timedelta(days=10))
    assert {tomorrow.pk, later.pk} <= open_index()[0]
    assert fts.advance(connection, now + timedelta(days=2)) == 1
    ids, expected = open_at_horizon()
    assert ids == expected and later.pk in ids and tomorrow.pk not in ids
    assert fts.advance(connection, now) == 0  # Never back.
    assert open_index()[1] == connection.ops.adapt_datetimefield_value(now + timedelta(days=2))
    # The daily job does the same through the scheduler's registry.
    from ecoquartier.core.scheduler import JOBS

    assert JOBS["calls_open_index"].function == "ecoquartier.calls.fts.advance_horizon"
    assert "retiré" in fts.advance_horizon()


def test_a_search_before_the_horizon_finds_what_the_orm_finds(geo, monkeypatch):
    """A date before the open calls' index's horizon (a test's clock, a replay) finds the calls
    open then, which the index has forgotten: SQLite reads its whole full-text index (fts.py),
    PostgreSQL its other indexes (open_words.py). The ORM agrees at every date."""
    now = timezone.now()
    was_open = CallFactory(title="Friches", perimeter=geo.paca, deadline=now + timedelta(days=1))
    still = CallFactory(title="Friches", perimeter=geo.paca, deadline=now + timedelta(days=10))
    CallFactory(title="Friches", perimeter=geo.bretagne, deadline=now + timedelta(days=10))
    fts.advance(connection, now + timedelta(days=2))  # Each does nothing on the other database.
    open_words.advance(connection, now + timedelta(days=2))
    query = FinderQuery(territory=geo.reillanne, text="friches")
    for moment, expected in ((now, {was_open.pk, still.pk}), (now + timedelta(days=3), {still.pk})):
        monkeypatch.setattr(plain, "handles", HANDLES)
        fast = Rows(query, 1, columns=("slug",), now=moment)
        assert {row["pk"] for row in fast[0:20]} == expected and fast.count() == len(expected)
        monkeypatch.setattr(plain, "handles", lambda q: False)
        slow = Rows(query, 1, columns=("slug",), now=moment)
        assert {row["pk"] for row in slow[0:20]} == expected


# --- PostgreSQL's open calls' index (open_words.py) --------------------------------------------


@pytest.fixture
def postgresql(db):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")


def _index_state():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.oid, i.indisvalid, pg_get_indexdef(c.oid) FROM pg_class c "
            "JOIN pg_index i ON i.indexrelid = c.oid WHERE c.relname = %s",
            [open_words.INDEX],
        )
        return cursor.fetchone()


def test_the_open_calls_index_is_rebuilt_once_a_day_at_its_horizon(postgresql):
    """The nightly job rebuilds it at the start of the day, once: run again the same day it
    keeps the index it has; the next day, a new one at the new horizon, valid, nothing left."""
    now = timezone.now()
    open_words.advance(connection, now)
    oid, valid, definition = _index_state()
    assert valid and now.strftime("%Y-%m-%d") in definition and "'#'" in definition
    open_words.advance(connection, now + timedelta(hours=1))
    assert _index_state()[0] == oid or now.hour == 23
    tomorrow = now + timedelta(days=1)
    open_words.advance(connection, tomorrow)
    oid_after, valid, definition = _index_state()
    assert oid_after != oid and valid and tomorrow.strftime("%Y-%m-%d") in definition
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_class WHERE relname = %s", [open_words.NEXT])
        assert cursor.fetchone() == (0,)
    assert "index des appels ouverts" in fts.advance_horizon()


def test_a_word_like_a_perimeter_token_matches_no_perimeter(postgresql, geo):
    """The perimeters' tokens (`#<id>`) are out of reach of what visitors type."""
    CallFactory(title="Appel régional", perimeter=geo.paca)
    for text in (f"#{geo.paca.pk}", f"p{geo.paca.pk}", str(geo.paca.pk)):
        rows = Rows(FinderQuery(territory=geo.reillanne, text=text), 1, columns=("slug",))
        assert rows.count() == 0, text


# --- The plain SQL statement ------------------------------------------------------------------


HANDLES = plain.handles


def page(query, number, through_plain, monkeypatch):
    monkeypatch.setattr(plain, "handles", HANDLES if through_plain else lambda q: False)
    rows = Rows(query, number, per_page=2, columns=("slug", "title", "perimeter__name"))
    return rows.count(), list(rows[(number - 1) * 2 : number * 2])


def test_the_plain_statement_returns_the_orm_s_rows_in_its_order(geo, calls, monkeypatch):
    compared = 0
    for query in queries(geo):
        assert HANDLES(query) == bool(query.terms)
        for number in (1, 2, 3):
            fast = page(query, number, True, monkeypatch)
            slow = page(query, number, False, monkeypatch)
            assert fast == slow, (query, number)
            compared += bool(fast[1])
    assert compared > 20
    other = FinderQuery(territory=geo.paca, text="friches", include_closed=True)
    assert not HANDLES(other) and not HANDLES(FinderQuery(territory=geo.paca))


def test_a_commune_s_first_page_from_its_perimeters_parts_is_the_statement_s(
    geo, calls, django_assert_num_queries
):
    """Given a version, the first page of a search on a commune is merged from its perimeters'
    cached parts (ADR 29): the same rows in the same order and the same total as the one
    statement, whether its parts were read now or for another commune around; a commune next to
    one already searched reads only the parts it does not share (its own and its EPCI's)."""
    from django.core.cache import cache

    cache.clear()
    now, columns, compared = timezone.now(), ("slug", "title", "perimeter__name"), 0
    for commune in (geo.sainte_tulle, geo.reillanne, geo.brest):
        for text in TEXTS:
            query = FinderQuery(territory=commune, text=text)
            assert plain._splits(query) and query.ancestor_ids  # read before counting
            whole = Rows(query, 1, per_page=2, columns=columns, now=now)
            parts = Rows(query, 1, per_page=2, columns=columns, now=now, version="v1")
            split = plain.handles(query)  # Words to search (not stop words only).
            if split and commune is geo.reillanne:  # After Sainte-Tulle: France, PACA, 04.
                with django_assert_num_queries(1):
                    parts.count()
            assert (parts.count(), parts[0:2]) == (whole.count() or 0, whole[0:2]), query
            if split:  # Read again: every part from the cache.
                again = Rows(query, 1, per_page=2, columns=columns, now=now, version="v1")
                with django_assert_num_queries(0):
                    assert (again.count(), again[0:2]) == (parts.count(), parts[0:2])
            compared += len(whole[0:2])
    assert compared > 20
    # Another version (the data changed) shares nothing with this one.
    query = FinderQuery(territory=geo.reillanne, text="friches")
    assert query.ancestor_ids
    with django_assert_num_queries(1):
        Rows(query, 1, per_page=2, columns=columns, now=now, version="v2").count()


def test_a_call_added_in_the_region_is_found_from_the_next_commune(client, geo):
    """The région's part cached for one commune is not served once the calls changed."""
    CallFactory(title="Friches régionales", perimeter=geo.paca)
    response = client.get("/aides/?q=friches&territoire=commune%3A04197")
    assertContains(response, "1 appel trouvé")
    CallFactory(title="Friches nouvelles", perimeter=geo.paca)
    response = client.get("/aides/?q=friches&territoire=commune%3A04160")
    assertContains(response, "Friches nouvelles")
    assertContains(response, "2 appels trouvés")


# --- Cached cards and filter fields -----------------------------------------------------------


def test_a_cached_card_shows_its_call_s_change_in_another_search(client, geo):
    call = CallFactory(title="Reconversion de friches", perimeter=geo.paca)
    assertContains(client.get("/aides/?q=friches&territoire=commune%3A04160"), "Reconversion")
    call.title = "Reconversion de friches et de centres anciens"
    call.save()
    # Another search listing the same call: its card is not the old one.
    response = client.get("/aides/?q=reconversion&territoire=departement%3A04")
    assertContains(response, "Reconversion de friches et de centres anciens")
    Call.objects.filter(pk=call.pk).update(state=Call.State.DRAFT)  # no signal: bump by hand
    from ecoquartier.core.generations import bump

    bump("calls")
    assertNotContains(client.get("/aides/?q=friches"), "Reconversion de friches")


def verdicts(response):
    html = response.content.decode()
    return html.count('fr-badge--error">Non éligible<'), html.count('fr-badge--success">Éligible<')


def test_verdicts_are_never_shared_between_organisations(client, geo):
    CallFactory(title="Friches des petites communes", perimeter=geo.paca, population_max=3000)
    small = OrganisationFactory(territory=geo.reillanne, name="Commune de Reillanne")
    large = OrganisationFactory(territory=geo.sainte_tulle, name="Commune de Sainte-Tulle")
    client.force_login(MembershipFactory(organisation=small).user)
    assert verdicts(client.get("/aides/?q=friches")) == (0, 1)  # 1,730 inhabitants
    client.force_login(MembershipFactory(organisation=large).user)
    # Another search listing the same call, for another organisation: its own verdict.
    assert verdicts(client.get("/aides/?q=friches+communes")) == (1, 0)  # 3,558 inhabitants
    client.logout()
    assert verdicts(client.get("/aides/?q=petites+friches")) == (0, 0)  # Visitors: none.


def test_a_cached_filter_field_follows_its_choices(client, geo):
    from tests.calls.factories import ThemeFactory

    client.get("/aides/?q=friches")
    ThemeFactory(label="Thème tout neuf")
    assertContains(client.get("/aides/?q=quartiers"), "Thème tout neuf")


@pytest.mark.parametrize("email", ["", "marie@example.org"])
@pytest.mark.parametrize(
    "search", ["", "q=friches", "q=a%26b&territoire=commune%3A04160", 'q="<x>"']
)
def test_the_alert_form_from_its_cached_markup_is_the_form_s_own(email, search):
    from ecoquartier.calls.forms import AlertForm, render_alert_form

    expected = str(AlertForm(initial={"email": email, "recherche": search}))
    assert render_alert_form(email, search) == expected
    assert render_alert_form(email, search) == expected  # from the cache


@pytest.mark.parametrize(
    "searches",
    [
        ["q=friches", "q=%22%3Cscript%3E%22+%26+co", "q=reconversion&territoire=commune%3A04160"],
        ["territoire=commune%3A04160", "territoire=commune%3A04197&q=x", "territoire=nope"],
    ],
)
def test_filter_fields_from_cached_frames_are_the_form_s_own(geo, searches):
    """What a visitor types changes only the widget: the group around it comes from the cache,
    and the whole is exactly what rendering the form gives (errors rendered whole)."""
    from django.http import QueryDict

    from ecoquartier.calls.forms import FinderForm, render_filter_fields

    for search in searches * 2:  # the second time, from the frames cached the first
        form = FinderForm(QueryDict(search))
        form.is_valid()
        expected = "".join(str(field.as_field_group()) for field in form)
        again = FinderForm(QueryDict(search))
        again.is_valid()
        assert render_filter_fields(again, "v1") == expected, search
    from django.core.cache import cache

    # The frames were kept (a group whose widget did not stand in it once would be whole).
    assert cache.get("calls:finder-field:fr:v1:q:frame") is not None
    assert cache.get("calls:finder-field:fr:v1:territoire:frame") is not None


def test_the_results_say_how_many_for_whom_and_what_is_left_out(client, geo):
    response = client.get("/aides/?q=introuvable")
    assertContains(response, "0 appel trouvé")
    assertContains(response, "Aucun appel ne correspond à ces critères.")
    assertContains(response, "Seuls les appels ouverts ou à venir sont affichés.")
    CallFactory(title="Friches", perimeter=geo.paca)
    CallFactory(title="Friches closes", perimeter=geo.paca, deadline=timezone.now() - timedelta(1))
    response = client.get("/aides/?q=friches&clos=1")
    assertContains(response, "2 appels trouvés")
    assertContains(response, '<ul class="fr-raw-list" aria-labelledby="finder-results-title">')
    assertNotContains(response, "Seuls les appels ouverts")
    organisation = OrganisationFactory(territory=geo.reillanne, name="Commune d’A & B")
    client.force_login(MembershipFactory(organisation=organisation).user)
    assertContains(
        client.get("/aides/?q=friches"), "Éligibilité indiquée pour : Commune d’A &amp; B."
    )


@pytest.mark.parametrize("search", ["q=friches", "avant=demain", "territoire=nope&q=x"])
def test_the_filters_from_their_frame_are_the_template_s(geo, search):
    """The filters block is its template's, filled with the fields, with or without errors."""
    from django.http import QueryDict
    from django.template.loader import render_to_string

    from ecoquartier.calls.forms import FinderForm, render_filter_fields, render_filters

    for _time in range(2):  # the second time, from the frame
        form = FinderForm(QueryDict(search))
        form.is_valid()
        fields = render_filter_fields(form, "v1")
        expected = render_to_string(
            "calls/includes/finder_filters.html", {"form": form, "fields": fields}
        )
        assert render_filters(form, "v1") == expected
