import factory

from ecoquartier.territories.models import Territory
from ecoquartier.territories.services import france, link_ancestors


class TerritoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Territory
        django_get_or_create = ("kind", "code")
        skip_postgeneration_save = True


class RegionFactory(TerritoryFactory):
    kind = Territory.Kind.REGION
    code = factory.Sequence(lambda n: f"R{n}")
    name = factory.Sequence(lambda n: f"Région {n}")
    zone = "metro"

    @factory.post_generation
    def ancestry(obj, create, extracted, **kwargs):
        if create:
            link_ancestors(obj, [france()])


class DepartementFactory(TerritoryFactory):
    kind = Territory.Kind.DEPARTEMENT
    code = factory.Sequence(lambda n: f"D{n}")
    name = factory.Sequence(lambda n: f"Département {n}")
    region = factory.SubFactory(RegionFactory)
    zone = "metro"

    @factory.post_generation
    def ancestry(obj, create, extracted, **kwargs):
        if create:
            link_ancestors(obj, [obj.region, france()])


class EpciFactory(TerritoryFactory):
    kind = Territory.Kind.EPCI
    code = factory.Sequence(lambda n: f"2{n:08d}")
    siren = factory.SelfAttribute("code")
    name = factory.Sequence(lambda n: f"Communauté de communes {n}")
    epci_type = "CC"
    departement = factory.SubFactory(DepartementFactory)
    region = factory.SelfAttribute("departement.region")

    @factory.post_generation
    def ancestry(obj, create, extracted, **kwargs):
        if create:
            link_ancestors(obj, [obj.departement, obj.region, france()])


class CommuneFactory(TerritoryFactory):
    kind = Territory.Kind.COMMUNE
    code = factory.Sequence(lambda n: f"{90000 + n:05d}")
    name = factory.Sequence(lambda n: f"Commune {n}")
    population = 2500
    postal_codes = "90000"
    zone = "metro"
    departement = factory.SubFactory(DepartementFactory)
    region = factory.SelfAttribute("departement.region")
    epci = None

    @factory.post_generation
    def ancestry(obj, create, extracted, **kwargs):
        if create:
            link_ancestors(obj, [obj.epci, obj.departement, obj.region, france()])


def homonyms():
    """Saint-Ouen-sur-Seine among the communes whose names or postal codes look alike."""
    seine_saint_denis = DepartementFactory(code="93", name="Seine-Saint-Denis")
    CommuneFactory(code="41226", name="Saint-Ouen", population=3041, postal_codes="41100")
    CommuneFactory(code="95572", name="Saint-Ouen-l'Aumône", population=25578)
    CommuneFactory(code="60338", name="Lacroix-Saint-Ouen", population=5415)
    CommuneFactory(
        code="93070",
        name="Saint-Ouen-sur-Seine",
        population=53615,
        postal_codes="93400",
        departement=seine_saint_denis,
    )
    CommuneFactory(code="04160", name="Reillanne", population=1730, postal_codes="04110")
