import pytest
from django import forms

from ecoquartier.territories.forms import TerritoryChoiceField, TerritoryMultipleChoiceField
from tests.territories.factories import CommuneFactory, DepartementFactory, RegionFactory

pytestmark = pytest.mark.django_db


class ProjectLikeForm(forms.Form):
    communes = TerritoryMultipleChoiceField(kinds=("commune",), label="Communes")


class PerimeterForm(forms.Form):
    perimeter = TerritoryChoiceField(label="Périmètre", required=False)


@pytest.fixture
def saint_ouen(db):
    return CommuneFactory(code="93070", name="Saint-Ouen-sur-Seine", population=53615)


@pytest.fixture
def reillanne(db):
    return CommuneFactory(code="04160", name="Reillanne", population=1730)


def test_without_javascript_codes_separated_by_commas_are_accepted(saint_ouen, reillanne):
    form = ProjectLikeForm({"communes": "93070, 04160"})
    assert form.is_valid()
    assert form.cleaned_data["communes"] == [saint_ouen, reillanne]


def test_unknown_codes_get_a_clear_french_error_next_to_the_field(saint_ouen):
    form = ProjectLikeForm({"communes": "93070, 99999, 75000"})
    assert not form.is_valid()
    assert form.errors["communes"] == [
        "Codes inconnus : 99999, 75000. Vérifiez-les (niveaux acceptés : commune)."
    ]
    html = str(form["communes"].as_field_group())
    assert "fr-input-group--error" in html
    assert 'id="id_communes_error"' in html
    assert 'aria-describedby="id_communes_helptext id_communes_error"' in html
    assert 'value="93070, 99999, 75000"' in html  # nothing typed is lost


def test_a_single_unknown_code_is_worded_in_the_singular(saint_ouen):
    form = ProjectLikeForm({"communes": "99999"})
    assert form.errors["communes"] == [
        "Code inconnu : 99999. Vérifiez-le (niveaux acceptés : commune)."
    ]


def test_an_empty_required_field_is_refused(db):
    assert ProjectLikeForm({"communes": ""}).errors["communes"] == ["Ce champ est obligatoire."]


def test_the_hidden_inputs_of_the_tags_are_accepted(saint_ouen, reillanne):
    form = ProjectLikeForm({"communes": ["commune:04160", "commune:93070"]})
    assert form.is_valid()
    assert form.cleaned_data["communes"] == [reillanne, saint_ouen]


def test_a_code_of_another_level_is_refused(saint_ouen):
    DepartementFactory(code="93", name="Seine-Saint-Denis")
    assert "communes" in ProjectLikeForm({"communes": "93"}).errors


def test_cleaning_runs_one_query(saint_ouen, reillanne, django_assert_num_queries):
    form = ProjectLikeForm({"communes": "93070, 04160"}, initial={"communes": [saint_ouen]})
    with django_assert_num_queries(1):
        assert form.is_valid()
        assert form.changed_data == ["communes"]


def test_unchanged_selection_is_not_reported_as_changed(saint_ouen):
    form = ProjectLikeForm({"communes": "93070"}, initial={"communes": [saint_ouen]})
    assert form.has_changed() is False


def test_rendering_with_instances_needs_no_query(saint_ouen, django_assert_num_queries):
    form = ProjectLikeForm(initial={"communes": [saint_ouen]})
    with django_assert_num_queries(0):
        html = str(form["communes"].as_field_group())
    assert 'value="93070"' in html  # the no-JS input
    assert "Saint-Ouen-sur-Seine (93070)" in html  # the tag
    # The hidden inputs stay disabled until the script enables them, so that without
    # JavaScript only the text input is posted.
    assert '<input type="hidden" name="communes" value="commune:93070" disabled>' in html


def test_rendering_from_ids_is_one_query(saint_ouen, reillanne, django_assert_num_queries):
    form = ProjectLikeForm(initial={"communes": [saint_ouen.pk, reillanne.pk]})
    with django_assert_num_queries(1):
        html = str(form["communes"])
    assert "Reillanne (04160)" in html


def test_the_widget_is_an_accessible_combobox(saint_ouen):
    html = str(ProjectLikeForm()["communes"].as_field_group())
    assert 'role="combobox"' in html
    assert 'aria-expanded="false"' in html
    assert 'aria-controls="id_communes-listbox"' in html
    assert 'role="listbox"' in html
    assert 'hx-get="/territoires/autocomplete/?kind=commune"' in html
    assert '<label class="fr-label" for="id_communes">' in html


def test_the_widget_brings_its_script():
    assert "territories/autocomplete.js" in str(ProjectLikeForm().media)


def test_the_single_choice_field_takes_one_territory(saint_ouen, reillanne):
    assert PerimeterForm({"perimeter": "93070"}).is_valid()
    form = PerimeterForm({"perimeter": "93070, 04160"})
    assert form.errors["perimeter"] == ["Choisissez un seul territoire."]


def test_the_single_choice_field_is_optional_when_asked(db):
    form = PerimeterForm({"perimeter": ""})
    assert form.is_valid()
    assert form.cleaned_data["perimeter"] is None


def test_an_ambiguous_code_asks_for_the_level(db):
    RegionFactory(code="93", name="Provence-Alpes-Côte d'Azur")
    DepartementFactory(code="93", name="Seine-Saint-Denis")
    form = PerimeterForm({"perimeter": "93"})
    assert "« region:93 »" in form.errors["perimeter"][0]
    form = PerimeterForm({"perimeter": "region:93"})
    assert form.is_valid()
    assert form.cleaned_data["perimeter"].name == "Provence-Alpes-Côte d'Azur"


def test_the_single_choice_field_reports_changes(saint_ouen, reillanne):
    form = PerimeterForm({"perimeter": "04160"}, initial={"perimeter": saint_ouen.pk})
    assert form.changed_data == ["perimeter"]
    form = PerimeterForm({"perimeter": "93070"}, initial={"perimeter": saint_ouen.pk})
    assert form.changed_data == []


def test_the_field_keeps_its_template_in_a_dsfr_form(saint_ouen):
    from ecoquartier.core.forms import DsfrFormMixin

    class DsfrProjectForm(DsfrFormMixin, forms.Form):
        communes = TerritoryMultipleChoiceField(kinds=("commune",), label="Communes")

    html = str(DsfrProjectForm({"communes": "99999"}))
    assert "data-eq-picker-group" in html
    assert html.count('id="id_communes_error"') == 1
    assert "Code inconnu : 99999" in html
