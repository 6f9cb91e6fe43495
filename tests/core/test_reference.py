"""Reference lists come from the cache and are forgotten when their rows change."""

import pytest

from ecoquartier.core.reference import ReferenceList
from ecoquartier.projects.models import Theme

pytestmark = pytest.mark.django_db

THEMES = ReferenceList(
    "tests:themes", lambda: list(Theme.objects.values_list("label", flat=True)), models=[Theme]
)


def test_a_reference_list_is_read_once_then_served_from_the_cache(django_assert_num_queries):
    Theme.objects.create(kind=Theme.Kind.THEME, slug="eau", label="Eau")
    with django_assert_num_queries(1):
        assert THEMES() == ["Eau"]
        assert THEMES() == ["Eau"]


def test_saving_or_deleting_a_row_forgets_the_list():
    theme = Theme.objects.create(kind=Theme.Kind.THEME, slug="eau", label="Eau")
    assert THEMES() == ["Eau"]
    theme.label = "Eau et nature"
    theme.save()
    assert THEMES() == ["Eau et nature"]
    theme.delete()
    assert THEMES() == []
