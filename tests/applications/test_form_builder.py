"""The form builder (issue 13): a manager edits existing fields, keys are made from labels,
display conditions are picked from the values of earlier fields, and the form is previewed."""

import re

import pytest
from django.urls import reverse

from ecoquartier.applications import formspec, services
from ecoquartier.applications.models import FormField
from ecoquartier.core.activity import timeline

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"applications:{name}", args=args)


@pytest.fixture
def draft(client, world):
    """A draft version of the intention form, its manager signed in."""
    client.force_login(world.manager)
    return services.editable_version(world.manager, services.current_form(world.intention))


def fields_of(draft):
    return {f.key: f for f in FormField.objects.filter(section__form=draft)}


def post_field(client, draft, **values):
    data = {"op": "add_field", "field-section": draft.sections.first().pk, "field-kind": "text"}
    data.update({f"field-{name}": value for name, value in values.items()})
    return client.post(url("form_edit", draft.pk), data)


# --- Keys ----------------------------------------------------------------------------------------


def test_a_key_is_made_from_the_label():
    assert formspec.field_key("Date de début du chantier", set()) == "date-de-debut-du-chantier"


def test_a_key_already_taken_gets_a_number():
    assert formspec.field_key("Budget", {"budget", "budget-2"}) == "budget-3"


def test_a_long_label_makes_a_key_within_the_field_s_length():
    key = formspec.field_key("x" * 100, {"x" * 60})
    assert len(key) <= 60 and key.endswith("-2")


def test_a_field_added_without_a_key_gets_one_from_its_label(client, draft):
    response = post_field(client, draft, label="Budget prévisionnel")
    assert response.status_code == 302
    assert "budget-previsionnel" in fields_of(draft)


def test_a_label_already_used_gets_a_unique_key(client, draft):
    post_field(client, draft, label="Présentation du projet")  # "summary" holds it already
    post_field(client, draft, label="Présentation du projet")
    keys = fields_of(draft)
    assert {"presentation-du-projet", "presentation-du-projet-2"} <= set(keys)


# --- Editing -------------------------------------------------------------------------------------


def test_the_manager_edits_an_existing_field_and_its_key_stays(client, draft, world):
    field = fields_of(draft)["motivation"]
    page = client.get(url("form_edit", draft.pk) + f"?champ={field.pk}").content.decode()
    assert "Modifier le champ « Motivations et attentes »" in page
    response = client.post(
        url("form_edit", draft.pk),
        {
            "op": "edit_field", "field": field.pk, "field-section": field.section_id,
            "field-label": "Vos motivations", "field-key": "autre", "field-kind": "long_text",
            "field-max_length": "1500",
        },
    )  # fmt: skip
    assert response.status_code == 302
    field.refresh_from_db()
    assert (field.label, field.key, field.max_length, field.required) == (
        "Vos motivations", "motivation", 1500, False,
    )  # fmt: skip
    assert timeline(world.call).filter(verb="form.field_saved").exists()


def test_a_field_of_another_form_cannot_be_edited(client, draft, world):
    other = FormField.objects.exclude(section__form=draft).first()
    response = client.get(url("form_edit", draft.pk) + f"?champ={other.pk}")
    assert response.status_code == 404


def test_editing_without_a_field_of_this_version_is_not_found(client, draft):
    response = client.post(
        url("form_edit", draft.pk),
        {"op": "edit_field", "field": "abc", "field-label": "Nouveau", "field-kind": "text"},
    )
    assert response.status_code == 404
    assert "nouveau" not in fields_of(draft)


def test_each_field_of_a_draft_has_its_edit_link(client, draft):
    page = client.get(url("form_edit", draft.pk)).content.decode()
    for field in fields_of(draft).values():
        assert f"?champ={field.pk}#field-form" in page


# --- Conditions ----------------------------------------------------------------------------------


def condition_options(page):
    select = re.search(r'<select name="field-condition_key".*?</select>', page, re.S).group(0)
    return re.findall(r'<option value="([^"]*)"', select)


def test_conditions_are_offered_on_the_fields_with_known_answers(client, draft):
    page = client.get(url("form_edit", draft.pk)).content.decode()
    # The template's choices (the project's stage, prefilled from the record) then its questions.
    assert condition_options(page) == ["", "stage", "urbanity", "agenda21", "hqe"]
    assert 'name="field-condition_value"' in page and "<optgroup" in page


def test_a_condition_is_picked_from_the_list_and_its_operator_follows_the_kind(client, draft):
    response = post_field(
        client, draft, label="Date de l'Agenda 21", condition_key="agenda21", condition_value="yes"
    )
    assert response.status_code == 302
    field = fields_of(draft)["date-de-lagenda-21"]
    assert (field.condition_key, field.condition_operator, field.condition_value) == (
        "agenda21", "equals", "yes",
    )  # fmt: skip


def test_a_value_that_is_not_an_answer_of_the_chosen_field_is_refused(client, draft):
    response = post_field(
        client, draft, label="Précision", condition_key="agenda21", condition_value="Rural"
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choisissez une réponse de ce champ." in page
    assert 'href="#id_field-condition_value"' in page  # in the error summary
    assert "precision" not in fields_of(draft)


def test_an_edited_field_s_condition_looks_only_at_the_fields_before_it(client, draft):
    field = fields_of(draft)["urbanity"]
    page = client.get(url("form_edit", draft.pk) + f"?champ={field.pk}").content.decode()
    assert condition_options(page) == ["", "stage"]  # not urbanity itself nor those after it
    first = fields_of(draft)["stage"]
    page = client.get(url("form_edit", draft.pk) + f"?champ={first.pk}").content.decode()
    assert condition_options(page) == [""]


# --- Preview -------------------------------------------------------------------------------------


def test_the_builder_previews_the_form_as_applicants_see_it(client, draft):
    page = client.get(url("form_edit", draft.pk)).content.decode()
    preview = page[page.index('id="preview-title"') :]
    assert "Aperçu du formulaire" in page
    assert "Caractère du territoire" in preview and "Année d&#x27;adoption" in preview
    assert 'name="apercu-summary"' in preview
    sections = re.findall(r'<fieldset[^>]*aria-labelledby="preview-section-[^>]*>', preview)
    assert len(sections) >= 2 and all(tag.endswith(" disabled>") for tag in sections)


@pytest.mark.parametrize("kind", ["territory", "project", "file", "date", "multiple"])
def test_the_preview_shows_every_kind_of_field(client, draft, kind):
    extra = {"choices_text": "Eau\nÉnergie"} if kind == "multiple" else {}
    assert post_field(client, draft, label="Champ à voir", kind=kind, **extra).status_code == 302
    response = client.get(url("form_edit", draft.pk))
    assert response.status_code == 200
    preview = response.content.decode().split('id="preview-title"')[1]
    assert "Champ à voir" in preview


def test_the_builder_page_is_bounded_in_queries(client, draft, django_assert_max_num_queries):
    with django_assert_max_num_queries(30):
        client.get(url("form_edit", draft.pk))
