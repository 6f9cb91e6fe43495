"""The State's territorial network (F-02): who is the State contact of any territory.

Every metropolitan département has a DDT, or a DDTM when it is coastal; every region a DREAL.
Exceptions, as the administration is actually organised:
- Île-de-France: the DRIEAT is the regional service, and in Paris and the petite couronne
  (75, 92, 93, 94) its departmental units replace the DDT;
- the five overseas regions (DROM) are also départements: one service per region plays both the
  regional and the departmental role (a DEAL; in Guyane the DGTM, in Mayotte the DEALM).

Contact e-mails are left blank on purpose: real addresses are entered by administrators.
"""

from dataclasses import dataclass

from django.db import transaction

from ecoquartier.core.activity import record
from ecoquartier.core.generations import bump
from ecoquartier.organisations.models import Organisation
from ecoquartier.territories.models import Territory
from ecoquartier.territories.services import france


def _codes(text):
    return frozenset(text.split())


# Départements with a sea coast: their service is a DDTM (territoires et de la mer).
COASTAL_DEPARTEMENTS = _codes(
    "06 11 13 14 17 22 27 29 2A 2B 30 33 34 35 40 44 50 56 59 62 64 66 76 80 83 85"
)
ILE_DE_FRANCE = "11"
DRIEAT_UNITS = _codes("75 92 93 94")

# Overseas regions: INSEE region code → acronym of the service that is both DREAL and DDT.
DROM_SERVICES = {"01": "DEAL", "02": "DEAL", "03": "DGTM", "04": "DEAL", "06": "DEALM"}
DROM_DEPARTEMENTS = _codes("971 972 973 974 976")

# How a département's name follows "de" in French (INSEE's "charnière"): "du Nord", "de l'Ain".
_LINKS = {
    "du ": "14 15 18 25 29 30 32 39 45 46 56 59 62 63 67 68 69 81 83 90 94 95",
    "de la ": "16 17 19 2A 2B 21 23 24 26 31 33 42 43 44 48 50 51 52 53 55 57 58 70 72 73 74 "
    "76 80 85 86 87 93 971 972 973",
    "des ": "04 05 06 08 13 22 40 64 65 66 78 79 88 92",
    "d'": "28 35 37",
    "de l'": "01 02 03 07 09 10 11 12 27 34 36 38 60 61 89 91",
    "de ": "41 47 49 54 71 75 77 82 84 974 976",
}
DEPARTEMENT_LINKS = {code: link for link, codes in _LINKS.items() for code in _codes(codes)}

DGALN_NAME = "Direction générale de l'aménagement, du logement et de la nature"


def of_departement(departement):
    """The département's name after "de": "de l'Ain", "du Nord", "des Landes"."""
    return DEPARTEMENT_LINKS.get(departement.code, "de ") + departement.name


@dataclass(frozen=True)
class ServiceSpec:
    kind: str
    territory: Territory
    name: str
    acronym: str


def departement_service(departement):
    """The State service of a metropolitan département; None overseas, where the region's DEAL
    plays the departmental role too."""
    code = departement.code
    if code in DRIEAT_UNITS:
        name = f"DRIEAT – Unité départementale {of_departement(departement)}"
        return ServiceSpec(Organisation.Kind.DREAL, departement, name, f"UD DRIEAT {code}")
    if code in DROM_DEPARTEMENTS or departement.zone not in ("", "metro"):
        return None
    acronym = "DDTM" if code in COASTAL_DEPARTEMENTS else "DDT"
    name = f"{acronym} {of_departement(departement)}"
    return ServiceSpec(Organisation.Kind.DDT, departement, name, f"{acronym} {code}")


def region_service(region):
    if region.code in DROM_SERVICES:
        acronym = DROM_SERVICES[region.code]
        return ServiceSpec(Organisation.Kind.DREAL, region, f"{acronym} {region.name}", acronym)
    if region.code == ILE_DE_FRANCE:
        return ServiceSpec(Organisation.Kind.DREAL, region, "DRIEAT Île-de-France", "DRIEAT")
    return ServiceSpec(Organisation.Kind.DREAL, region, f"DREAL {region.name}", "DREAL")


def wanted_services():
    territories = Territory.objects.filter(
        kind__in=[Territory.Kind.REGION, Territory.Kind.DEPARTEMENT], is_active=True
    ).order_by("kind", "code")
    specs = [ServiceSpec(Organisation.Kind.DGALN, france(), DGALN_NAME, "DGALN")]
    for territory in territories:
        if territory.kind == Territory.Kind.REGION:
            specs.append(region_service(territory))
        else:
            specs.append(departement_service(territory))
    return [spec for spec in specs if spec is not None]


@transaction.atomic
def seed_state_services(actor=None):
    """Create the missing State services; never touches existing rows (admins may have edited
    them). Returns the organisations created. Idempotent, a fixed number of queries."""
    specs = wanted_services()
    existing = set(
        Organisation.objects.filter(kind__in=Organisation.STATE_KINDS).values_list(
            "kind", "territory_id"
        )
    )
    missing = [spec for spec in specs if (spec.kind, spec.territory.pk) not in existing]
    created = Organisation.objects.bulk_create(
        Organisation(kind=spec.kind, territory=spec.territory, name=spec.name, acronym=spec.acronym)
        for spec in missing
    )
    if created:
        bump("organisations")  # Bulk writes send no signal.
    if created and all(org.pk for org in created):
        record(
            actor,
            "organisations.state_services_seeded",
            f"{len(created)} services de l’État créés",
            targets=created,
        )
    return created


@dataclass(frozen=True)
class StateContacts:
    """The departmental (DDT(M), DRIEAT unit, DEAL) and regional (DREAL, DEAL) State contacts.
    Overseas, both are the same DEAL."""

    departement: Organisation | None
    region: Organisation | None

    def __iter__(self):
        seen = []
        for org in (self.departement, self.region):
            if org is not None and org not in seen:
                seen.append(org)
        return iter(seen)

    def __bool__(self):
        return self.departement is not None or self.region is not None


def state_contacts(territory):
    """The State contacts of any territory, in one query (via the flattened ancestry).

    For a commune or an EPCI: its département's and region's services; for a département: its own
    and its region's; for a region: the regional service only.
    """
    services = (
        Organisation.objects.filter(
            kind__in=[Organisation.Kind.DDT, Organisation.Kind.DREAL],
            territory__descendant_links__descendant=territory,
            territory__kind__in=[Territory.Kind.DEPARTEMENT, Territory.Kind.REGION],
        )
        .select_related("territory")
        .order_by("pk")
    )
    departement = region = None
    for org in services:
        if org.territory.kind == Territory.Kind.REGION:
            region = region or org
        elif departement is None or org.kind == Organisation.Kind.DDT:
            departement = org
    if departement is None and region is not None and region.territory.code in DROM_SERVICES:
        departement = region
    return StateContacts(departement=departement, region=region)
