"""An id no integer column can hold matches nothing, in `pk=` as in `pk__in=` (SQLite raised
OverflowError for `__in`: a 500 wherever ids came from a request)."""

import pytest

from ecoquartier.projects.models import Theme
from tests.calls.factories import ThemeFactory

pytestmark = pytest.mark.django_db


def test_out_of_range_ids_in_an_in_lookup_match_nothing():
    theme = ThemeFactory()
    assert list(Theme.objects.filter(pk__in=[10**26, -(10**26)])) == []
    assert list(Theme.objects.filter(pk__in=[10**26, theme.pk])) == [theme]
    assert list(Theme.objects.filter(position__in=[2**40, 0])) == [theme]
