"""The read paths of the list and project pages: plain rows, in a fixed number of queries."""

import pytest

from ecoquartier.projects.models import OperationType, Theme
from ecoquartier.projects.reads import card_queryset, card_rows, project_relations
from tests.organisations.factories import OrganisationFactory
from tests.projects.factories import ProjectFactory
from tests.territories.factories import CommuneFactory, DepartementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(taxonomy):
    d04 = DepartementFactory(code="04", name="Alpes-de-Haute-Provence")
    project = ProjectFactory(
        holders=[OrganisationFactory(name="Syndicat mixte"), OrganisationFactory(name="Commune")],
        communes=[
            CommuneFactory(name="Reillanne", code="04160", departement=d04),
            CommuneFactory(name="Céreste", code="04053", departement=d04),
        ],
    )
    themes = Theme.objects.filter(kind=Theme.Kind.THEME).order_by("position")
    project.themes.set([themes[2], themes[0]])
    project.hooks.set([Theme.objects.filter(kind=Theme.Kind.HOOK).first()])
    return project


def test_the_relations_of_a_project_come_in_one_query(project, django_assert_num_queries):
    ProjectFactory(communes=[CommuneFactory(name="Ailleurs")])  # Another project's: not listed.
    project_relations(project)  # Fills the taxonomy cache.
    with django_assert_num_queries(1):
        relations = project_relations(project)
    d04 = "Alpes-de-Haute-Provence"
    assert relations["communes"] == [
        {"kind": "commune", "code": "04053", "name": "Céreste", "departement": d04},
        {"kind": "commune", "code": "04160", "name": "Reillanne", "departement": d04},
    ]
    assert [h["name"] for h in relations["holders"]] == ["Commune", "Syndicat mixte"]
    themes = list(Theme.objects.filter(kind=Theme.Kind.THEME).order_by("position"))
    assert relations["themes"] == [themes[0].label, themes[2].label]  # The taxonomy's order.
    assert len(relations["hooks"]) == 1
    assert relations["operation_types"] == []


def test_a_project_without_relations_has_empty_lists(taxonomy):
    project = ProjectFactory(holders=[], communes=[])
    assert project_relations(project) == {
        "communes": [], "holders": [], "operation_types": [], "themes": [], "hooks": [],
    }  # fmt: skip


def test_cards_carry_url_stage_label_and_joined_names(project, django_assert_num_queries):
    project.operation_types.set([OperationType.objects.first()])
    with django_assert_num_queries(2):
        rows = card_rows(card_queryset(project.__class__.objects.all())[:20])
    card = next(row for row in rows if row["pk"] == project.pk)
    assert card["url"] == project.get_absolute_url()
    assert card["stage_label"] == project.get_stage_display()
    assert card["communes"] == "Céreste, Reillanne"
    assert card["holders"] == "Commune, Syndicat mixte"
