"""A few real territories, enough to exercise the State network's special cases."""

from types import SimpleNamespace

from tests.territories.factories import CommuneFactory, DepartementFactory, RegionFactory


def _region(code, name, zone="metro"):
    return RegionFactory(code=code, name=name, zone=zone)


def _departement(code, name, region, zone="metro"):
    return DepartementFactory(code=code, name=name, region=region, zone=zone)


def real_geography():
    hdf = _region("32", "Hauts-de-France")
    idf = _region("11", "Île-de-France")
    aura = _region("84", "Auvergne-Rhône-Alpes")
    guadeloupe = _region("01", "Guadeloupe", zone="drom")
    nord = _departement("59", "Nord", hdf)
    aisne = _departement("02", "Aisne", hdf)
    ssd = _departement("93", "Seine-Saint-Denis", idf)
    sem = _departement("77", "Seine-et-Marne", idf)
    ain = _departement("01", "Ain", aura)
    dep_guadeloupe = _departement("971", "Guadeloupe", guadeloupe, zone="drom")
    return SimpleNamespace(
        hdf=hdf,
        idf=idf,
        aura=aura,
        guadeloupe=guadeloupe,
        nord=nord,
        aisne=aisne,
        ssd=ssd,
        sem=sem,
        ain=ain,
        dep_guadeloupe=dep_guadeloupe,
        saint_ouen=CommuneFactory(
            code="93070",
            name="Saint-Ouen-sur-Seine",
            departement=ssd,
            population=51108,
            postal_codes="93400",
        ),
        lille=CommuneFactory(code="59350", name="Lille", departement=nord, population=236710),
        basse_terre=CommuneFactory(
            code="97105", name="Basse-Terre", departement=dep_guadeloupe, zone="drom"
        ),
    )
