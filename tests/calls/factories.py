from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import factory
from django.utils import timezone

from ecoquartier.calls.models import Call, CallBenefit, CallStep, Programme, SearchAlert
from ecoquartier.organisations.models import Organisation
from ecoquartier.projects.models import Theme
from ecoquartier.territories.models import Territory
from ecoquartier.territories.services import france
from tests.organisations.factories import OrganisationFactory
from tests.territories.factories import (
    CommuneFactory,
    DepartementFactory,
    EpciFactory,
    RegionFactory,
)

PARIS = ZoneInfo("Europe/Paris")


def paris(*args):
    """An aware datetime in Paris time: paris(2022, 5, 18, 23, 59)."""
    return datetime(*args, tzinfo=PARIS)


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("slug",)

    kind = Theme.Kind.THEME
    slug = factory.Sequence(lambda n: f"theme-{n}")
    label = factory.Sequence(lambda n: f"Thématique {n}")


class OperatorFactory(OrganisationFactory):
    kind = Organisation.Kind.PUBLIC_OPERATOR
    territory = None
    name = factory.Sequence(lambda n: f"Opérateur {n}")
    has_planning_competence = False


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    kind = Programme.Kind.AMI
    name = factory.Sequence(lambda n: f"Programme {n}")
    slug = factory.Sequence(lambda n: f"programme-{n}")
    owner = factory.SubFactory(OperatorFactory)


class CallFactory(factory.django.DjangoModelFactory):
    """A published national AMI, open for another 60 days unless told otherwise."""

    class Meta:
        model = Call
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    kind = Call.Kind.AMI
    title = factory.Sequence(lambda n: f"Appel {n}")
    slug = factory.Sequence(lambda n: f"appel-{n}")
    summary = "Un appel pour des quartiers durables."
    perimeter = factory.LazyFunction(france)
    state = Call.State.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def deadline(obj, create, extracted, **kwargs):
        """CallFactory(deadline=dt) adds one application step (default: in 60 days);
        deadline=False adds none."""
        if not create:
            return
        if extracted is False:
            return
        when = extracted if extracted is not None else timezone.now() + timedelta(days=60)
        CallStep.objects.create(call=obj, kind=CallStep.Kind.APPLICATION, deadline=when)
        obj.refresh_from_db(fields=["closes_at"])


class CallBenefitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CallBenefit

    call = factory.SubFactory(CallFactory)
    kind = CallBenefit.Kind.SUPPORT_DAYS
    days = 36
    period_months = 36


class SearchAlertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SearchAlert

    email = factory.Sequence(lambda n: f"alerte{n}@exemple.fr")
    query = ""
    label = "Tous les appels"
    confirmed_at = factory.LazyFunction(timezone.now)


@dataclass
class Geography:
    france: Territory
    paca: Territory
    alpes_hp: Territory
    banon: Territory  # an EPCI
    reillanne: Territory
    sainte_tulle: Territory
    bretagne: Territory
    finistere: Territory
    brest: Territory


def build_geography():
    """A small slice of the real geography, with real codes and populations: Reillanne and
    Sainte-Tulle in the Alpes-de-Haute-Provence (PACA); Brest in the Finistère (Bretagne)."""
    paca = RegionFactory(code="93", name="Provence-Alpes-Côte d'Azur")
    alpes_hp = DepartementFactory(code="04", name="Alpes-de-Haute-Provence", region=paca)
    banon = EpciFactory(
        code="200071025", name="CC Haute-Provence - Pays de Banon", departement=alpes_hp
    )
    reillanne = CommuneFactory(
        code="04160", name="Reillanne", population=1730, departement=alpes_hp, epci=banon
    )
    sainte_tulle = CommuneFactory(
        code="04197", name="Sainte-Tulle", population=3558, departement=alpes_hp
    )
    bretagne = RegionFactory(code="53", name="Bretagne")
    finistere = DepartementFactory(code="29", name="Finistère", region=bretagne)
    brest = CommuneFactory(code="29019", name="Brest", population=142346, departement=finistere)
    return Geography(
        france(), paca, alpes_hp, banon, reillanne, sainte_tulle, bretagne, finistere, brest
    )
