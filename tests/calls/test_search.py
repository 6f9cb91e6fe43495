"""F-23: the finder — perimeter matching, filters, French text search, ranking and reasons.
These run on both databases; test_search_postgres.py adds what only PostgreSQL does."""

from datetime import date, timedelta

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.utils import timezone

from ecoquartier.calls.models import Call, CallBenefit, CallPriorityTheme
from ecoquartier.calls.search import (
    FinderQuery,
    Rows,
    explain,
    find,
    page_rows,
    prefetch,
    ranked,
)
from ecoquartier.calls.text import index_text, stem, stems
from tests.calls.factories import CallBenefitFactory, CallFactory, ThemeFactory, paris

pytestmark = pytest.mark.django_db


def titles(query):
    return [call.title for call in find(query)]


@pytest.fixture
def calls(geo):
    return {
        "paca": CallFactory(title="AMI Quartiers durables PACA", perimeter=geo.paca),
        "national": CallFactory(title="Campagne nationale du label", perimeter=geo.france),
        "bretagne": CallFactory(title="Appel breton", perimeter=geo.bretagne),
        "alpes": CallFactory(title="Appel des Alpes-de-Haute-Provence", perimeter=geo.alpes_hp),
        "banon": CallFactory(title="Appel du Pays de Banon", perimeter=geo.banon),
    }


# --- Perimeter --------------------------------------------------------------------------------


def test_a_paca_commune_finds_calls_on_itself_its_epci_departement_region_and_france(geo, calls):
    found = set(titles(FinderQuery(territory=geo.reillanne)))
    assert found == {
        "AMI Quartiers durables PACA",
        "Campagne nationale du label",
        "Appel des Alpes-de-Haute-Provence",
        "Appel du Pays de Banon",
    }


def test_a_breton_commune_does_not_find_the_paca_ami_but_finds_national_calls(geo, calls):
    assert set(titles(FinderQuery(territory=geo.brest))) == {
        "Campagne nationale du label",
        "Appel breton",
    }


def test_a_region_also_sees_the_calls_of_its_departements(geo, calls):
    found = set(titles(FinderQuery(territory=geo.paca)))
    assert "Appel des Alpes-de-Haute-Provence" in found
    assert "Appel breton" not in found


def test_reasons_say_which_perimeter_matched(geo, calls):
    query = FinderQuery(territory=geo.reillanne)
    reasons = {r.call.title: r.reasons for r in explain(prefetch(find(query)), query)}
    assert reasons["AMI Quartiers durables PACA"] == [
        "Périmètre : Provence-Alpes-Côte d'Azur, qui comprend Reillanne (04160)"
    ]
    assert reasons["Campagne nationale du label"] == ["Appel national"]


# --- French text ------------------------------------------------------------------------------


def test_the_light_stemmer_folds_plurals_and_accents():
    assert stems("Les friches") == stems("friche") == ["frich"]
    assert stems("ÉcoQuartiers") == stems("ecoquartier") == ["ecoquartier"]
    assert stem("territoriaux") == stem("territorial")
    assert index_text("Des friches, des friches !") == " frich "


def test_ecoquartier_finds_ecoquartier_with_its_accent_and_capitals():
    CallFactory(title="Offre d'accompagnement ÉcoQuartier")
    CallFactory(title="Autre appel", summary="Rien à voir.")
    assert titles(FinderQuery(text="ecoquartier")) == ["Offre d'accompagnement ÉcoQuartier"]


def test_friches_finds_friche():
    CallFactory(title="Recycler", presentation="Reconversion d'une friche économique.")
    CallFactory(title="Autre appel")
    assert titles(FinderQuery(text="friches")) == ["Recycler"]


def test_every_word_must_match():
    CallFactory(title="Friche et ÉcoQuartier")
    CallFactory(title="Friche seule")
    assert titles(FinderQuery(text="friche ecoquartier")) == ["Friche et ÉcoQuartier"]


def test_a_title_match_ranks_above_a_summary_match_above_a_body_match():
    later = timezone.now() + timedelta(days=100)
    CallFactory(title="Appel C", presentation="Une friche.", deadline=later - timedelta(days=50))
    CallFactory(title="Appel A friche", deadline=later)
    CallFactory(title="Appel B", summary="Une friche.", deadline=later)
    assert titles(FinderQuery(text="friche")) == ["Appel A friche", "Appel B", "Appel C"]


def test_text_reasons_say_where_the_words_were_found():
    call = CallFactory(title="Recycler", presentation="Friches économiques.")
    query = FinderQuery(text="friche")
    [result] = explain(prefetch(find(query)), query)
    assert result.call == call
    assert result.reasons == ["« friche » dans la description"]


def test_stop_words_alone_do_not_filter():
    CallFactory(title="Appel")
    assert titles(FinderQuery(text="de la")) == ["Appel"]


# --- Filters and order ------------------------------------------------------------------------


def test_without_text_results_come_by_nearest_deadline_and_closed_calls_are_hidden():
    now = timezone.now()
    CallFactory(title="Dans un mois", deadline=now + timedelta(days=30))
    CallFactory(title="Dans une semaine", deadline=now + timedelta(days=7))
    CallFactory(title="Clos hier", deadline=now - timedelta(days=1))
    CallFactory(title="Archivé", deadline=now - timedelta(days=400))
    assert titles(FinderQuery()) == ["Dans une semaine", "Dans un mois"]
    assert titles(FinderQuery(include_closed=True)) == [
        "Dans une semaine",
        "Dans un mois",
        "Clos hier",
        "Archivé",
    ]


def test_drafts_are_never_found():
    CallFactory(title="Brouillon", state="draft")
    assert titles(FinderQuery(include_closed=True)) == []


def test_audience_filter_keeps_open_calls_and_calls_listing_the_kind():
    CallFactory(title="Pour tous")
    CallFactory(title="Communes", audience_kinds=["commune", "epci"])
    CallFactory(title="Régions", audience_kinds=["region"])
    assert set(titles(FinderQuery(audience="commune"))) == {"Pour tous", "Communes"}


def test_stage_filter():
    CallFactory(title="Amont", project_stages=["reflection", "studies"])
    CallFactory(title="Chantier", project_stages=["operational"])
    assert titles(FinderQuery(stage="studies")) == ["Amont"]


def test_theme_filter_matches_eligible_and_priority_themes():
    entrances = ThemeFactory(slug="entrees-de-ville", label="Entrées de ville")
    CallPriorityTheme.objects.create(call=CallFactory(title="Prioritaire"), theme=entrances)
    CallFactory(title="Exigée").eligible_themes.set([entrances])
    CallFactory(title="Sans thème")
    assert set(titles(FinderQuery(theme=entrances))) == {"Prioritaire", "Exigée"}


def test_benefit_filter():
    CallBenefitFactory(call=CallFactory(title="Jours"), kind=CallBenefit.Kind.SUPPORT_DAYS)
    CallBenefitFactory(
        call=CallFactory(title="Subvention"), kind=CallBenefit.Kind.GRANT, days=None, amount=1000
    )
    assert titles(FinderQuery(benefit=CallBenefit.Kind.GRANT)) == ["Subvention"]


def test_closes_before_includes_the_whole_day_in_paris():
    CallFactory(title="Le 18 mai au soir", deadline=paris(2030, 5, 18, 23, 59))
    CallFactory(title="Le 19 mai", deadline=paris(2030, 5, 19, 0, 30))
    query = FinderQuery(closes_before=date(2030, 5, 18))
    assert titles(query) == ["Le 18 mai au soir"]


def test_describe_summarises_the_search_in_french(geo):
    query = FinderQuery(territory=geo.reillanne, text="friche", benefit="grant")
    assert query.describe() == "« friche » · Reillanne (04160) · Subvention"
    assert FinderQuery().describe() == "Tous les appels"


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the fallback's own limit")
def test_the_light_stemmer_does_not_join_derived_words():
    CallFactory(title="Aménagements durables")
    assert titles(FinderQuery(text="amenagement")) == ["Aménagements durables"]
    assert titles(FinderQuery(text="aménager")) == []


# --- Pages ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "include_closed"), [("", False), ("friches", False), ("", True)])
@pytest.mark.parametrize("wanted", ["1", "2", "3", "9", "0", "deux", None])
def test_a_page_of_rows_matches_the_paginator_over_every_match(text, include_closed, wanted):
    now = timezone.now()
    for n in range(45):
        CallFactory(title=f"Friche {n}", deadline=now + timedelta(days=n - 10 if n % 3 else 5))
    query = FinderQuery(text=text, include_closed=include_closed)
    expected = Paginator(page_rows(query, now), 20).get_page(wanted)
    page = Paginator(Rows(query, wanted, 20, ["title"], now), 20).get_page(wanted)
    assert (page.number, page.paginator.count) == (expected.number, expected.paginator.count)
    titles = dict(Call.objects.values_list("pk", "title"))
    assert list(page.object_list) == [
        {"pk": pk, "status": status, "title": titles[pk]} for pk, status in expected.object_list
    ]


def test_a_sorted_search_reads_its_page_and_its_total_in_one_query(
    django_assert_num_queries,
):
    CallFactory.create_batch(25, title="Friches urbaines")
    with django_assert_num_queries(1):
        page = Paginator(Rows(FinderQuery(text="friches"), "2", 20), 20).get_page("2")
        assert (page.paginator.count, len(page.object_list)) == (25, 5)


def test_a_results_page_filters_on_the_ids_it_read_as_find_does_on_subqueries(geo, calls):
    """The finder page reads the territory's ancestors once (and whether it contains others)
    and filters on them: the same calls as the subqueries of `find`."""
    CallFactory(title="Appel de Reillanne", perimeter=geo.reillanne)
    for territory in (geo.reillanne, geo.banon, geo.alpes_hp, geo.paca, geo.brest, geo.france):
        query = FinderQuery(territory=territory, include_closed=True)
        read = set(ranked(query, read_ancestors=True).values_list("pk", flat=True))
        assert read == set(find(query).values_list("pk", flat=True)), territory
    assert not FinderQuery(territory=geo.reillanne).contains_others
    assert FinderQuery(territory=geo.alpes_hp).contains_others
