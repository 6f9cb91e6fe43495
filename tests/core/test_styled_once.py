"""Forms styled once on their class (core.forms.StyledOnceMixin) are the forms styled at each
making: same markup, valid or not, and nothing one form changes reaches the next."""

import copy

import pytest
from django.http import QueryDict

from ecoquartier.calls.forms import FinderForm
from ecoquartier.core.forms import DsfrForm

pytestmark = pytest.mark.django_db

SEARCHES = ["", "q=friches&public=commune", "territoire=commune%3A99999&avant=demain&clos=1"]


def _styled_each_time():
    """The finder's fields in a form styled at each making, as every other form is."""
    fields = {name: copy.deepcopy(field) for name, field in FinderForm.declared_fields.items()}
    return type("FinderStyledEachTime", (DsfrForm,), fields)


def test_the_form_styled_once_renders_as_the_form_styled_each_time():
    each_time = _styled_each_time()
    for search in SEARCHES:
        for _ in range(2):  # The first form styles the class, the next ones copy it.
            once, every = FinderForm(QueryDict(search)), each_time(QueryDict(search))
            assert once.is_valid() == every.is_valid()
            assert str(once) == str(every)
            assert FinderForm.__dict__.get("_styled_fields")


def test_what_a_form_changes_stays_in_that_form():
    first = FinderForm()
    first.fields["q"].widget.attrs["class"] = "changed"
    first.fields["q"].label = "Autre"
    second = FinderForm()
    assert second.fields["q"].widget.attrs["class"] == "fr-input"
    assert second.fields["q"].label != "Autre"
