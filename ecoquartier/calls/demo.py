"""Demo step: the programmes and calls of the seeds, plus synthetic calls for the finder.

Idempotent: organisations are found by (kind, territory) or (kind, name), themes by slug, calls
by slug; an existing call is never overwritten, so edits made in the platform survive a re-run.
The seeds' texts live in calls/demo_texts.py.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from ecoquartier.calls import demo_texts as texts
from ecoquartier.calls.models import (
    Call,
    CallBenefit,
    CallPriorityTheme,
    CallStep,
    Programme,
)
from ecoquartier.organisations.models import Organisation
from ecoquartier.projects.models import Theme
from ecoquartier.territories.models import Territory
from ecoquartier.territories.services import france, imported

PARIS = ZoneInfo("Europe/Paris")
SYNTHETIC_PREFIX = "demo-appel-"


def paris(year, month, day, hour=23, minute=59):
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


# --- Natural keys -----------------------------------------------------------------------------


def organisation(kind, name, place=None, acronym=""):
    """Found by (kind, territory) when it has one, else by (kind, acronym or name)."""
    existing = Organisation.objects.filter(kind=kind)
    if place is not None:
        existing = existing.filter(territory=place)
    elif acronym:
        existing = existing.filter(acronym=acronym)
    else:
        existing = existing.filter(name=name)
    return existing.first() or Organisation.objects.create(
        kind=kind, name=name, territory=place, acronym=acronym
    )


def theme(slug, label):
    return Theme.objects.get_or_create(
        slug=slug, defaults={"label": label, "kind": Theme.Kind.THEME}
    )[0]


def programme(slug, owner, partners=(), **fields):
    found, created = Programme.objects.get_or_create(slug=slug, defaults={"owner": owner, **fields})
    if created:
        found.partners.set(partners)
    return found


def call(slug, steps=(), benefits=(), priorities=(), **fields):
    """Create the call with its steps, benefits and priority themes, unless it exists."""
    existing = Call.objects.filter(slug=slug).first()
    if existing is not None:
        return existing, False
    created = Call.objects.create(slug=slug, state=Call.State.PUBLISHED, **fields)
    for kind, deadline, *rest in steps:
        CallStep.objects.create(
            call=created, kind=kind, deadline=deadline, label=rest[0] if rest else ""
        )
    for benefit in benefits:
        CallBenefit.objects.create(call=created, **benefit)
    for linked, bonus, note in priorities:
        CallPriorityTheme.objects.create(call=created, theme=linked, bonus=bonus, note=note)
    return created, True


# --- The seeds --------------------------------------------------------------------------------


def load():
    places = {
        "france": france(),
        "paca": imported(Territory.Kind.REGION, "93"),
    }
    orgs = _organisations(places)
    created = [
        _cerema_support_offer(orgs, places),
        _ami_paca(orgs, places),
        _atelier_17(orgs, places),
        _labelling_campaign(orgs, places),
    ]
    synthetic = _synthetic_calls(orgs)
    return (
        f"{sum(created)} appels des sources créés (sur 4), "
        f"{synthetic} appels de démonstration créés."
    )


def _organisations(places):
    paca = places["paca"]
    return {
        "dgaln": organisation(
            Organisation.Kind.DGALN,
            "Direction générale de l'aménagement, du logement et de la nature",
            places["france"],
            "DGALN",
        ),
        "cerema": organisation(
            Organisation.Kind.PUBLIC_OPERATOR,
            "Cerema — Centre d'études et d'expertise sur les risques, l'environnement, "
            "la mobilité et l'aménagement",
            acronym="Cerema",
        ),
        "region-paca": organisation(
            Organisation.Kind.REGION, "Région Provence-Alpes-Côte d'Azur", paca
        ),
        "dreal-paca": organisation(
            Organisation.Kind.DREAL, "DREAL Provence-Alpes-Côte d'Azur", paca, "DREAL"
        ),
    }


def _cerema_support_offer(orgs, places):
    offer = programme(
        "offre-accompagnement-cerema-ecoquartier",
        orgs["cerema"],
        [orgs["dgaln"]],
        kind=Programme.Kind.SUPPORT,
        name="Offre d'accompagnement ÉcoQuartier du Cerema",
        description=texts.CEREMA_PROGRAMME,
        website="https://www.cerema.fr",
    )
    entrances = theme("entrees-de-ville", "Entrées de ville et périphéries urbaines")
    _call, created = call(
        "cerema-accompagnement-ecoquartier-2022",
        programme=offer,
        kind=Call.Kind.SUPPORT_OFFER,
        title="Accompagnement stratégique et opérationnel de projets d'ÉcoQuartier par le Cerema",
        original_title="Offre d'accompagnement « sur-mesure » du Cerema — démarche ÉcoQuartier",
        summary=texts.CEREMA_SUMMARY,
        presentation=texts.CEREMA_PRESENTATION,
        support=texts.CEREMA_SUPPORT,
        duration="36 jours d'accompagnement sur 3 ans.",
        eligibility_text=texts.CEREMA_ELIGIBILITY,
        application="Les candidatures doivent être déposées avant le 18 mai 2022.",
        perimeter=places["france"],
        opens_at=paris(2022, 4, 7, 9, 0),
        capacity=15,
        capacity_note="Une quinzaine de territoires",
        audience_kinds=[
            Organisation.Kind.COMMUNE,
            Organisation.Kind.EPCI,
            Organisation.Kind.DEVELOPER,
        ],
        project_stages=["reflection", "studies"],
        published_at=paris(2022, 4, 7, 9, 0),
        steps=[(CallStep.Kind.APPLICATION, paris(2022, 5, 18))],
        benefits=[
            {"kind": CallBenefit.Kind.SUPPORT_DAYS, "days": 36, "period_months": 36},
            {
                "kind": CallBenefit.Kind.ENGINEERING,
                "engineering_kind": "Expertise pluridisciplinaire du Cerema",
                "description": "indicateurs, notes de conseil, expertises « à blanc »",
            },
        ],
        priorities=[(entrances, 2, "Thème prioritaire 2022, sans que cela soit exclusif")],
    )
    return created


def _ami_paca(orgs, places):
    ami = programme(
        "ami-quartiers-durables-paca",
        orgs["region-paca"],
        [orgs["dreal-paca"], orgs["cerema"]],
        kind=Programme.Kind.AMI,
        name="AMI Quartiers durables en Provence-Alpes-Côte d'Azur",
        description=texts.PACA_PROGRAMME,
    )
    _call, created = call(
        "ami-quartiers-durables-paca-2017",
        programme=ami,
        kind=Call.Kind.AMI,
        title="Appel à manifestation d'intérêt Quartiers durables en Provence-Alpes-Côte d'Azur",
        original_title="AMI Quartiers Durables 2017",
        summary=texts.PACA_SUMMARY,
        presentation=texts.PACA_PRESENTATION,
        objectives=texts.PACA_OBJECTIVES,
        steering=texts.PACA_STEERING,
        support=texts.PACA_SUPPORT,
        funding=texts.PACA_FUNDING,
        eligibility_text=texts.PACA_ELIGIBILITY,
        perimeter=places["paca"],
        capacity=5,
        capacity_note="Cinq collectivités lauréates (jury de juin 2017)",
        audience_kinds=[Organisation.Kind.COMMUNE, Organisation.Kind.EPCI],
        project_stages=["reflection", "studies"],
        published_at=paris(2017, 1, 16, 9, 0),
        steps=[(CallStep.Kind.APPLICATION, paris(2017, 4, 28), "Dépôt des candidatures")],
        benefits=[
            {
                "kind": CallBenefit.Kind.ENGINEERING,
                "engineering_kind": "Accompagnement technique individuel",
                "description": "par la Région, la DREAL et le Cerema",
            },
            {
                "kind": CallBenefit.Kind.GRANT,
                "description": "pour le lancement des études pré-opérationnelles",
            },
        ],
    )
    return created


def _atelier_17(orgs, places):
    ateliers = programme(
        "ateliers-des-territoires",
        orgs["dgaln"],
        kind=Programme.Kind.ATELIER,
        name="Ateliers des territoires",
        description=texts.ATELIER_PROGRAMME,
        website="https://www.atelier-territoires.logement.gouv.fr",
    )
    productive = theme("economie-productive", "Économie productive et emploi local")
    _call, created = call(
        "atelier-des-territoires-17e-session",
        programme=ateliers,
        kind=Call.Kind.NATIONAL_SESSION,
        title=(
            "Construire une stratégie de territoire conciliant économie productive et qualité "
            "urbaine et territoriale à l'échelle de grands territoires (Ateliers Thématiques)"
        ),
        original_title=(
            "Démarche Atelier des territoires : Session nationale "
            '"Territoires productifs, sobres et créateurs de valeurs"'
        ),
        summary=texts.ATELIER_SUMMARY,
        presentation=texts.ATELIER_PRESENTATION,
        ambitions=texts.ATELIER_AMBITIONS,
        objectives=texts.ATELIER_OBJECTIVES,
        steering=texts.ATELIER_STEERING,
        funding=texts.ATELIER_FUNDING,
        support=texts.ATELIER_SUPPORT,
        schedule=texts.ATELIER_SCHEDULE,
        duration=texts.ATELIER_DURATION,
        deliverables=texts.ATELIER_DELIVERABLES,
        hooks=texts.ATELIER_HOOKS,
        application=texts.ATELIER_APPLICATION,
        contacts=texts.ATELIER_CONTACTS,
        perimeter=places["france"],
        capacity=6,
        capacity_note="5 à 6 territoires",
        audience_kinds=[
            Organisation.Kind.DDT,
            Organisation.Kind.DREAL,
            Organisation.Kind.COMMUNE,
            Organisation.Kind.EPCI,
        ],
        project_stages=["reflection"],
        published_at=paris(2023, 4, 12, 9, 0),
        steps=[
            (CallStep.Kind.INTENTION, paris(2023, 6, 15)),
            (CallStep.Kind.APPLICATION, paris(2023, 7, 17)),
        ],
        benefits=[
            {
                "kind": CallBenefit.Kind.TEAM_FUNDING,
                "amount": 150000,
                "rate": 100,
                "description": "équipe pluridisciplinaire prise en charge par la DGALN",
            }
        ],
        priorities=[(productive, 1, "Thème de la session")],
    )
    return created


def _labelling_campaign(orgs, places):
    label = programme(
        "label-ecoquartier",
        orgs["dgaln"],
        kind=Programme.Kind.LABEL,
        name="Label ÉcoQuartier",
        description=texts.LABEL_PROGRAMME,
    )
    year = campaign_year()
    _call, created = call(
        LABELLING_SLUG.format(year=year),
        programme=label,
        kind=Call.Kind.LABELLING,
        title=f"Campagne nationale de labellisation ÉcoQuartier {year}",
        summary=texts.LABEL_SUMMARY,
        presentation=texts.LABEL_PRESENTATION,
        schedule=texts.LABEL_SCHEDULE,
        eligibility_text=texts.LABEL_ELIGIBILITY,
        application=texts.LABEL_APPLICATION,
        perimeter=places["france"],
        audience_kinds=[
            Organisation.Kind.COMMUNE,
            Organisation.Kind.EPCI,
            Organisation.Kind.DEVELOPER,
        ],
        requires_planning_competence=False,
        published_at=timezone.now(),
        steps=[
            (CallStep.Kind.APPLICATION, paris(year, 6, 30), "Dépôt des dossiers"),
            (CallStep.Kind.INTERVIEW, paris(year, 10, 31), "Commissions régionales"),
        ],
    )
    return created


# The labels step makes this call a label campaign (its calendar, stages and file form).
LABELLING_SLUG = "campagne-de-labellisation-ecoquartier-{year}"


def campaign_year():
    """This year's campaign while its files are still accepted, else next year's."""
    now = timezone.localtime()
    return now.year if now < paris(now.year, 6, 30) else now.year + 1


# --- Synthetic calls --------------------------------------------------------------------------

SUBJECTS = [
    ("Reconquête des friches urbaines", "friches", "sobriete-fonciere"),
    ("Entrées de ville et zones commerciales", "entrées de ville", "entrees-de-ville"),
    ("Nature en ville et biodiversité", "biodiversité", "biodiversite"),
    ("Sobriété foncière et densité douce", "sobriété foncière", "sobriete-fonciere"),
    ("Mobilités actives au cœur des quartiers", "mobilités", "mobilites"),
    ("Rénovation énergétique des quartiers", "énergie", "energie-climat"),
    ("Revitalisation des centres-bourgs", "centres-bourgs", "qualite-urbaine-patrimoine"),
    (
        "Adaptation des quartiers au changement climatique",
        "îlots de fraîcheur",
        "adaptation-risques",
    ),
    ("Participation citoyenne et urbanisme", "concertation", "participation-citoyenne"),
    ("Gestion de l'eau et désimperméabilisation", "eau", "eau"),
]
KINDS = [Call.Kind.AMI, Call.Kind.AAP, Call.Kind.AAP, Call.Kind.SUPPORT_OFFER]
# Days from today to the deadline: open, closing soon, upcoming, closed and archived calls.
DEADLINE_OFFSETS = [45, 9, 120, 75, -20, 30, -400, 200, 12, 60]
SYNTHETIC_COUNT = 30


def _synthetic_calls(orgs):
    regions = list(Territory.objects.filter(kind=Territory.Kind.REGION).order_by("code"))
    departements = list(Territory.objects.filter(kind=Territory.Kind.DEPARTEMENT).order_by("code"))
    perimeters = [france(), *regions, *departements[:10]] if regions else [france()]
    partners = programme(
        "appels-des-partenaires",
        orgs["dgaln"],
        kind=Programme.Kind.OTHER,
        name="Appels des partenaires de la démarche ÉcoQuartier",
        description="Appels régionaux et nationaux relayés pour les porteurs de projets.",
    )
    themes = {t.slug: t for t in Theme.objects.filter(kind=Theme.Kind.THEME)}
    today = timezone.localtime().replace(hour=23, minute=59, second=0, microsecond=0)
    created = 0
    for n in range(SYNTHETIC_COUNT):
        subject, word, theme_slug = SUBJECTS[n % len(SUBJECTS)]
        place = perimeters[(n * 7) % len(perimeters)]
        deadline = today + timedelta(days=DEADLINE_OFFSETS[n % len(DEADLINE_OFFSETS)] + n)
        kind = KINDS[n % len(KINDS)]
        benefit = _synthetic_benefit(kind, n)
        linked = themes.get(theme_slug)
        new, was_created = call(
            f"{SYNTHETIC_PREFIX}{n + 1:02d}",
            programme=partners,
            kind=kind,
            title=f"{subject} — {place.name}",
            summary=(
                f"Un appel pour accompagner les collectivités sur le thème : {word}. "
                f"Périmètre : {place.name}."
            ),
            presentation=texts.synthetic_presentation(subject, word, place.name),
            perimeter=place,
            audience_kinds=[Organisation.Kind.COMMUNE, Organisation.Kind.EPCI][: 1 + n % 2],
            population_max=[None, 3500, None, 20000][n % 4],
            project_stages=[[], ["reflection", "studies"], ["operational"]][n % 3],
            capacity=[None, 5, 10, 20][n % 4],
            published_at=timezone.now(),
            steps=[(CallStep.Kind.APPLICATION, deadline)],
            benefits=[benefit],
            priorities=[(linked, 1, "")] if linked and n % 2 else [],
        )
        if was_created and linked and not n % 2:
            new.eligible_themes.add(linked)
        created += was_created
    return created


def _synthetic_benefit(kind, n):
    if kind == Call.Kind.SUPPORT_OFFER:
        return {"kind": CallBenefit.Kind.SUPPORT_DAYS, "days": 10 + n, "period_months": 24}
    if n % 3 == 0:
        return {"kind": CallBenefit.Kind.GRANT, "amount": 20000 + 5000 * n, "rate": 50}
    return {
        "kind": CallBenefit.Kind.ENGINEERING,
        "engineering_kind": "Assistance à maîtrise d'ouvrage",
    }
