import pytest
from django.core.management import call_command

from ecoquartier.projects.models import OperationType, Theme
from ecoquartier.projects.taxonomy import load_taxonomy

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
