"""What only PostgreSQL does: the eq_french configuration (unaccent + Snowball stemmer), the
weighted vector and its GIN index. The same behaviours are checked on every database in
test_search.py."""

import pytest
from django.conf import settings
from django.db import connection

from ecoquartier.calls.models import Call
from ecoquartier.calls.search import FinderQuery, find
from tests.calls.factories import CallFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="needs PostgreSQL (DATABASE_URL)",
    ),
    pytest.mark.django_db,
]


def titles(text):
    return [call.title for call in find(FinderQuery(text=text))]


def test_the_french_configuration_folds_accents_then_stems():
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_tsvector('eq_french', 'ÉcoQuartiers et friches économiques')")
        [vector] = cursor.fetchone()
    assert "'ecoquarti'" in vector and "'frich'" in vector and "'econom'" in vector


def test_the_vector_is_weighted_title_summary_body():
    call = CallFactory(title="Friche", summary="Quartier", presentation="Biodiversité")
    vector = Call.objects.values_list("search_vector", flat=True).get(pk=call.pk)
    assert "'frich':1A" in vector
    assert "'quarti':2B" in vector
    assert "'biodiversit':3C" in vector


def test_ecoquartier_finds_ecoquartier_on_postgresql():
    CallFactory(title="Offre d'accompagnement ÉcoQuartier")
    CallFactory(title="Autre appel")
    assert titles("ecoquartier") == ["Offre d'accompagnement ÉcoQuartier"]
    assert titles("ÉCOQUARTIERS") == ["Offre d'accompagnement ÉcoQuartier"]


def test_friches_finds_friche_on_postgresql():
    CallFactory(title="Recycler", presentation="Reconversion d'une friche économique.")
    assert titles("friches") == ["Recycler"]


def test_snowball_reaches_derived_words_the_light_stemmer_does_not():
    CallFactory(title="Aménagements durables")
    assert titles("aménager") == ["Aménagements durables"]
    assert titles("AMENAGER") == ["Aménagements durables"]


def test_the_ranking_puts_title_matches_first():
    CallFactory(title="Appel B", presentation="friche")
    CallFactory(title="Appel A friche")
    assert titles("friche") == ["Appel A friche", "Appel B"]


def test_the_vector_is_indexed():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'calls_call_search_vector_gin'"
        )
        [definition] = cursor.fetchone()
    assert "gin (search_vector)" in definition


def test_saving_a_call_refreshes_its_vector():
    call = CallFactory(title="Ancien titre")
    call.title = "Friche reconvertie"
    call.save()
    assert titles("friche") == ["Friche reconvertie"]
