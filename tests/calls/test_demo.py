"""The demo step reproduces the seeds' calls and stays idempotent."""

import pytest
from django.utils import timezone

from ecoquartier.calls import demo
from ecoquartier.calls.models import Call, CallBenefit, Status
from ecoquartier.calls.search import FinderQuery, find
from ecoquartier.organisations.models import Organisation
from tests.calls.factories import paris

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(geo):
    demo.load()
    return geo


def statuses():
    return dict(Call.objects.with_status().values_list("slug", "status"))


def test_loading_twice_duplicates_nothing(loaded):
    counts = (Call.objects.count(), Organisation.objects.count())
    assert demo.load() == "0 appels des sources créés (sur 4), 0 appels de démonstration créés."
    assert (Call.objects.count(), Organisation.objects.count()) == counts
    assert counts[0] == 4 + demo.SYNTHETIC_COUNT


def test_the_2022_cerema_support_offer(loaded):
    call = Call.objects.get(slug="cerema-accompagnement-ecoquartier-2022")
    assert call.closes_at == paris(2022, 5, 18, 23, 59)
    assert call.capacity == 15
    days = call.benefits.get(kind=CallBenefit.Kind.SUPPORT_DAYS)
    assert (days.days, days.period_months) == (36, 36)
    [priority] = call.priority_links.all()
    assert priority.theme.slug == "entrees-de-ville"
    assert call.programme.owner.acronym == "Cerema"


def test_the_2017_ami_paca_is_regional_and_co_run(loaded):
    call = Call.objects.get(slug="ami-quartiers-durables-paca-2017")
    assert call.perimeter == loaded.paca
    owners = {call.programme.owner.kind} | {p.kind for p in call.programme.partners.all()}
    assert owners == {"region", "dreal", "operator"}
    assert call.audience_kinds == ["commune", "epci"]
    assert "moins de 4 000 habitants" in call.eligibility_text


def test_the_17th_atelier_session_is_archived_with_its_two_deadlines(loaded):
    call = Call.objects.get(slug="atelier-des-territoires-17e-session")
    steps = [(s.kind, timezone.localtime(s.deadline).date()) for s in call.steps.all()]
    assert [kind for kind, _ in steps] == ["intention", "application"]
    assert [(d.month, d.day) for _, d in steps] == [(6, 15), (7, 17)]
    assert call.benefits.get().amount == 150000
    assert call.capacity_note == "5 à 6 territoires"
    assert statuses()[call.slug] == Status.ARCHIVED
    assert [title for title, _ in call.sections()][:3] == [
        "Présentation",
        "Ambitions stratégiques",
        "Objectifs opérationnels",
    ]


def test_the_labelling_campaign_is_open(loaded):
    [slug] = [s for s in statuses() if s.startswith("campagne-de-labellisation")]
    assert statuses()[slug] in (Status.OPEN, Status.CLOSING_SOON)


def test_the_synthetic_calls_make_the_finder_meaningful(loaded):
    kinds = set(statuses().values())
    assert {Status.OPEN, Status.CLOSING_SOON, Status.CLOSED, Status.ARCHIVED} <= kinds
    reillanne = [c.slug for c in find(FinderQuery(territory=loaded.reillanne))]
    assert len(reillanne) >= 5
    everything = [
        c.slug for c in find(FinderQuery(territory=loaded.reillanne, include_closed=True))
    ]
    assert "ami-quartiers-durables-paca-2017" in everything
    brest = [c.slug for c in find(FinderQuery(territory=loaded.brest, include_closed=True))]
    assert "ami-quartiers-durables-paca-2017" not in brest
