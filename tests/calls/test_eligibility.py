"""F-22: one function judges an organisation (and optionally a project) against a call, rule by
rule, with a French sentence for each verdict."""

import pytest

from ecoquartier.calls.eligibility import (
    Applicant,
    Judge,
    Rule,
    Verdict,
    check_eligibility,
    evaluate,
)
from ecoquartier.calls.models import Call, CallPriorityTheme
from ecoquartier.organisations.models import Organisation
from ecoquartier.projects.models import Project
from ecoquartier.territories.models import Territory
from tests.calls.factories import CallFactory, ThemeFactory
from tests.organisations.factories import OrganisationFactory
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def spaces(text):
    """French digit grouping uses a narrow no-break space; compare with plain spaces."""
    return text.replace("\u202f", " ")


def verdict(call, organisation, rule, project=None):
    result = check_eligibility(call, organisation, project).result(rule)
    return result.verdict, spaces(result.message)


@pytest.fixture
def reillanne(geo):
    return OrganisationFactory(territory=geo.reillanne, name="Commune de Reillanne")


@pytest.fixture
def sainte_tulle(geo):
    return OrganisationFactory(territory=geo.sainte_tulle, name="Commune de Sainte-Tulle")


def test_without_rules_a_national_call_welcomes_everyone(reillanne):
    eligibility = check_eligibility(CallFactory(), reillanne)
    assert eligibility.eligible
    assert eligibility.summary == "Votre commune est éligible"
    verdicts = {r.rule: r.verdict for r in eligibility.results}
    assert verdicts.pop(Rule.PERIMETER) == Verdict.PASSED
    assert set(verdicts.values()) == {Verdict.NOT_APPLICABLE}


def test_audience_accepts_listed_organisation_kinds(reillanne, geo):
    call = CallFactory(audience_kinds=["commune", "epci"])
    assert verdict(call, reillanne, Rule.AUDIENCE) == (
        Verdict.PASSED,
        "Type d'organisation accepté : Commune.",
    )
    ddt = OrganisationFactory(kind=Organisation.Kind.DDT, territory=geo.alpes_hp, name="DDT 04")
    assert verdict(call, ddt, Rule.AUDIENCE) == (
        Verdict.FAILED,
        "Non éligible : réservé à Commune, Intercommunalité (EPCI) (votre organisation : DDT(M)).",
    )


def test_perimeter_accepts_territories_inside_it(reillanne, geo):
    call = CallFactory(perimeter=geo.paca)
    assert verdict(call, reillanne, Rule.PERIMETER) == (
        Verdict.PASSED,
        "Reillanne (04160) est dans le périmètre Provence-Alpes-Côte d'Azur.",
    )
    brest = OrganisationFactory(territory=geo.brest, name="Ville de Brest")
    assert verdict(call, brest, Rule.PERIMETER) == (
        Verdict.FAILED,
        "Non éligible : Brest (29019) est hors du périmètre Provence-Alpes-Côte d'Azur.",
    )


def test_perimeter_needs_a_territory_unless_the_call_is_national(geo):
    operator = OrganisationFactory(
        kind=Organisation.Kind.PUBLIC_OPERATOR, territory=None, name="Cerema"
    )
    assert verdict(CallFactory(), operator, Rule.PERIMETER)[0] == Verdict.PASSED
    assert verdict(CallFactory(perimeter=geo.paca), operator, Rule.PERIMETER) == (
        Verdict.FAILED,
        "Non éligible : votre organisation n'a pas de territoire dans le périmètre "
        "Provence-Alpes-Côte d'Azur.",
    )


def test_population_maximum(reillanne, sainte_tulle, geo):
    call = CallFactory(population_max=3000)
    assert verdict(call, reillanne, Rule.POPULATION) == (
        Verdict.PASSED,
        "Population 1 730 : condition respectée (jusqu'à 3 000 habitants).",
    )
    assert verdict(call, sainte_tulle, Rule.POPULATION) == (
        Verdict.FAILED,
        "Non éligible : population 3 558 > 3 000",
    )


def test_population_minimum_and_range(reillanne, sainte_tulle):
    call = CallFactory(population_min=2000, population_max=4000)
    assert verdict(call, reillanne, Rule.POPULATION) == (
        Verdict.FAILED,
        "Non éligible : population 1 730 < 2 000",
    )
    assert verdict(call, sainte_tulle, Rule.POPULATION) == (
        Verdict.PASSED,
        "Population 3 558 : condition respectée (de 2 000 à 4 000 habitants).",
    )


def test_the_issue_example_sentence(geo):
    town = OrganisationFactory(territory=geo.reillanne, name="Commune test")
    geo.reillanne.population = 4812
    geo.reillanne.save()
    town.territory.refresh_from_db()
    message = verdict(CallFactory(population_max=4000), town, Rule.POPULATION)[1]
    assert message == "Non éligible : population 4 812 > 4 000"


def test_an_unknown_population_cannot_pass_a_population_rule(geo):
    geo.reillanne.population = None
    geo.reillanne.save()
    town = OrganisationFactory(territory=geo.reillanne)
    assert verdict(CallFactory(population_max=4000), town, Rule.POPULATION) == (
        Verdict.FAILED,
        "Non éligible : population inconnue (condition : jusqu'à 4 000 habitants).",
    )


def test_project_stage_is_checked_on_the_project(reillanne):
    call = CallFactory(project_stages=["reflection"])
    assert verdict(call, reillanne, Rule.STAGE) == (
        Verdict.NOT_APPLICABLE,
        "À vérifier sur votre projet : états acceptés Réflexion / conception.",
    )
    early = ProjectFactory(holders=[reillanne], stage=Project.Stage.REFLECTION)
    assert verdict(call, reillanne, Rule.STAGE, early) == (
        Verdict.PASSED,
        "État d'avancement accepté : Réflexion / conception.",
    )
    delivered = ProjectFactory(holders=[reillanne], stage=Project.Stage.DELIVERED)
    assert verdict(call, reillanne, Rule.STAGE, delivered) == (
        Verdict.FAILED,
        "Non éligible : état d'avancement « Livré » (acceptés : Réflexion / conception).",
    )


def test_planning_competence(reillanne, geo):
    call = CallFactory(requires_planning_competence=True)
    assert verdict(call, reillanne, Rule.COMPETENCE) == (
        Verdict.PASSED,
        "Votre organisation exerce la compétence urbanisme.",
    )
    without = OrganisationFactory(territory=geo.sainte_tulle, has_planning_competence=False)
    assert verdict(call, without, Rule.COMPETENCE) == (
        Verdict.FAILED,
        "Non éligible : l'appel exige la compétence urbanisme.",
    )
    assert verdict(CallFactory(), without, Rule.COMPETENCE)[0] == Verdict.NOT_APPLICABLE


def test_themes_need_one_shared_theme(reillanne):
    entrances = ThemeFactory(slug="entrees-de-ville", label="Entrées de ville")
    water = ThemeFactory(slug="eau", label="Eau")
    call = CallFactory()
    call.eligible_themes.set([entrances])
    matching = ProjectFactory(holders=[reillanne])
    matching.themes.set([entrances, water])
    other = ProjectFactory(holders=[reillanne])
    other.themes.set([water])
    assert verdict(call, reillanne, Rule.THEMES)[0] == Verdict.NOT_APPLICABLE
    assert verdict(call, reillanne, Rule.THEMES, matching) == (
        Verdict.PASSED,
        "Thématique attendue : Entrées de ville.",
    )
    assert verdict(call, reillanne, Rule.THEMES, other) == (
        Verdict.FAILED,
        "Non éligible : le projet ne porte sur aucune des thématiques attendues "
        "(Entrées de ville).",
    )


def test_priority_themes_add_a_bonus_but_exclude_nobody(reillanne):
    entrances = ThemeFactory(slug="entrees-de-ville", label="Entrées de ville")
    call = CallFactory()
    CallPriorityTheme.objects.create(call=call, theme=entrances, bonus=2)
    with_theme = ProjectFactory(holders=[reillanne])
    with_theme.themes.set([entrances])
    without_theme = ProjectFactory(holders=[reillanne])
    rewarded = check_eligibility(call, reillanne, with_theme)
    assert rewarded.eligible
    assert [b.message for b in rewarded.bonuses] == [
        "Thématique prioritaire « Entrées de ville » : +2 point(s)"
    ]
    plain = check_eligibility(call, reillanne, without_theme)
    assert plain.eligible and plain.bonuses == []


def test_one_failed_rule_makes_the_organisation_ineligible(sainte_tulle, geo):
    call = CallFactory(perimeter=geo.paca, population_max=3000, audience_kinds=["commune"])
    eligibility = check_eligibility(call, sainte_tulle)
    assert not eligibility.eligible
    assert eligibility.summary == "Votre commune n'est pas éligible"
    assert [spaces(r.message) for r in eligibility.failures] == [
        "Non éligible : population 3 558 > 3 000"
    ]


def test_checking_costs_a_bounded_number_of_queries(reillanne, django_assert_max_num_queries):
    call = CallFactory(population_max=4000, requires_planning_competence=True)
    project = ProjectFactory(holders=[reillanne])
    with django_assert_max_num_queries(5):
        check_eligibility(call, reillanne, project)


def test_a_judge_gives_each_call_the_verdicts_evaluate_gives(sainte_tulle, geo):
    """A results page judges its calls with one Judge: the same verdicts as call by call."""
    theme = ThemeFactory()
    calls = [
        CallFactory(perimeter=geo.paca, population_max=3000, audience_kinds=["commune"]),
        CallFactory(perimeter=geo.paca, population_max=3000, audience_kinds=["epci"]),
        CallFactory(perimeter=geo.bretagne, requires_planning_competence=True),
        CallFactory(perimeter=geo.alpes_hp, project_stages=["studies"], population_min=100),
        CallFactory(perimeter=geo.paca, population_max=3000, audience_kinds=["commune"]),
    ]
    calls[3].eligible_themes.add(theme)
    project = ProjectFactory(holders=[sainte_tulle], stage="studies")
    for who in (None, project):
        applicant = Applicant.load(sainte_tulle, who)
        judge = Judge(applicant)
        for call in Call.objects.filter(pk__in=[c.pk for c in calls]).order_by("pk"):
            assert judge(call) == evaluate(call, applicant)


def test_an_applicant_reads_its_territory_and_ancestors_in_one_query(
    sainte_tulle, geo, django_assert_num_queries
):
    organisation = Organisation.objects.get(pk=sainte_tulle.pk)
    with django_assert_num_queries(1):
        applicant = Applicant.load(organisation)
        loaded = organisation.territory
    assert applicant.territory_ids == {
        geo.sainte_tulle.pk,
        geo.alpes_hp.pk,
        geo.paca.pk,
        geo.france.pk,
    }
    expected = Territory.objects.get(pk=geo.sainte_tulle.pk)
    for field in Territory._meta.concrete_fields:
        assert getattr(loaded, field.attname) == getattr(expected, field.attname), field.name
    assert loaded.is_active is True and str(loaded) == "Sainte-Tulle (04197)"
