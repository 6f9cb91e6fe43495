import pytest
from django.core.management import call_command

from ecoquartier.projects.forms import ProjectFilterForm
from ecoquartier.projects.models import OperationType, Theme
from ecoquartier.projects.taxonomy import load_taxonomy, taxonomy_choices

pytestmark = pytest.mark.django_db


def test_loading_the_taxonomy_twice_duplicates_nothing():
    call_command("load_taxonomy", stdout=open("/dev/null", "w"))  # noqa: SIM115
    counts = (OperationType.objects.count(), Theme.objects.count())
    assert load_taxonomy() == {"operation_types": 0, "themes": 0, "hooks": 0}
    assert (OperationType.objects.count(), Theme.objects.count()) == counts


def test_the_taxonomy_reproduces_the_seeds():
    load_taxonomy()
    operation_types = set(OperationType.objects.values_list("label", flat=True))
    assert {
        "Renouvellement urbain",
        "Extension urbaine",
        "Reconversion de friche",
    } <= operation_types
    themes = Theme.objects.filter(kind=Theme.Kind.THEME)
    assert themes.count() >= 12
    assert themes.filter(label__startswith="Entrées de ville").exists()
    hooks = Theme.objects.filter(kind=Theme.Kind.HOOK)
    assert hooks.count() == 16
    assert hooks.filter(label="Projet d'implantation d'un data center").exists()


def test_a_relabelled_entry_is_updated_in_place():
    load_taxonomy()
    OperationType.objects.filter(slug="extension-urbaine").update(label="Ancien libellé")
    load_taxonomy()
    assert OperationType.objects.get(slug="extension-urbaine").label == "Extension urbaine"


def test_filter_forms_read_the_taxonomy_from_the_cache(django_assert_num_queries):
    load_taxonomy()
    str(ProjectFilterForm().as_div())  # Fills the cache.
    with django_assert_num_queries(0):
        html = str(ProjectFilterForm().as_div())
    assert "Reconversion de friche" in html


def test_a_saved_or_deleted_taxonomy_row_shows_in_the_next_form_at_once():
    load_taxonomy()
    assert "Îlots de fraîcheur" not in dict(taxonomy_choices("themes")).values()
    theme = Theme.objects.create(kind=Theme.Kind.THEME, slug="ilots", label="Îlots de fraîcheur")
    assert (theme.pk, "Îlots de fraîcheur") in taxonomy_choices("themes")
    theme.label = "Îlots et cours de fraîcheur"
    theme.save()
    assert (theme.pk, "Îlots et cours de fraîcheur") in taxonomy_choices("themes")
    theme.delete()
    assert "Îlots et cours de fraîcheur" not in dict(taxonomy_choices("themes")).values()


def test_an_unknown_taxonomy_value_is_refused_next_to_its_field():
    form = ProjectFilterForm({"theme": "999999"})
    assert not form.is_valid()
    assert "theme" in form.errors
