"""Form versions, default templates, display conditions and the missing-answers list."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from ecoquartier.applications import formspec, services
from ecoquartier.applications.forms import AnswersForm
from ecoquartier.applications.models import FormField
from tests.applications.factories import INTENTION_ANSWERS


def test_default_templates_are_data_with_a_display_condition(world):
    form = services.current_form(world.intention)
    keys = [f.key for f in form.ordered_fields()]
    assert keys[:5] == ["project", "perimeter", "population", "stage", "summary"]
    year = next(f for f in form.ordered_fields() if f.key == "agenda21_year")
    assert (year.condition_key, year.condition_operator) == ("agenda21", "equals")


def test_conditions_equals_includes_greater():
    field = FormField(
        key="x", condition_key="a", condition_operator="equals", condition_value="yes"
    )
    assert formspec.condition_holds(field, {"a": "yes"})
    assert not formspec.condition_holds(field, {"a": "no"})
    field.condition_operator, field.condition_value = "includes", "Énergie"
    assert formspec.condition_holds(field, {"a": ["Biodiversité", "Énergie"]})
    field.condition_operator, field.condition_value = "greater", "1000"
    assert formspec.condition_holds(field, {"a": "1500"})
    assert not formspec.condition_holds(field, {"a": "900"})


def test_a_hidden_required_field_is_not_missing(world):
    form = services.current_form(world.intention)
    year = next(f for f in form.ordered_fields() if f.key == "agenda21_year")
    year.required = True
    year.save()
    fields = services.current_form(world.intention).ordered_fields()
    data = dict(INTENTION_ANSWERS, agenda21="no")
    assert formspec.missing_answers(fields, data) == []
    data["agenda21"] = "yes"
    assert [m.key for m in formspec.missing_answers(fields, data)] == ["agenda21_year"]


def test_editing_a_published_form_creates_a_version_and_started_applications_keep_theirs(world):
    application = services.start_application(world.holder, world.call, world.commune)
    published = services.current_form(world.intention)
    draft = services.editable_version(world.manager, published)
    assert draft.version == published.version + 1 and not draft.is_published
    assert services.editable_version(world.manager, published) == draft
    new = FormField(
        section=draft.sections.first(), key="budget", label="Budget", kind="integer", required=True
    )
    services.save_field(world.manager, new)
    services.publish_form(world.manager, draft)
    assert services.current_form(world.intention).version == draft.version
    assert services.answers_for(application).form == published
    assert "budget" not in [m.key for m in services.missing_answers(application)]


def test_a_published_form_cannot_be_edited_in_place(world):
    published = services.current_form(world.intention)
    with pytest.raises(ValidationError):
        services.add_section(world.manager, published, "Nouvelle")


def test_field_keys_are_unique_within_a_form(world):
    draft = services.editable_version(world.manager, services.current_form(world.intention))
    twin = FormField(section=draft.sections.first(), key="summary", label="Doublon", kind="text")
    with pytest.raises(ValidationError):
        services.save_field(world.manager, twin)


def test_reordering_fields(world):
    draft = services.editable_version(world.manager, services.current_form(world.intention))
    section = draft.sections.first()
    first, second = list(section.fields.all())[:2]
    services.move_field(world.manager, second, -1)
    assert [f.key for f in section.fields.all()][:2] == [second.key, first.key]


def test_file_type_and_size_are_checked(world):
    form = services.current_form(world.full_file)
    specs = form.ordered_fields()
    bad = SimpleUploadedFile("plan.exe", b"x")
    bound = AnswersForm({}, {"deliberation": bad}, specs=specs, organisation=world.commune)
    assert not bound.is_valid()
    assert "type de fichier non accepté" in str(bound.errors["deliberation"])


def test_a_field_narrower_than_the_shared_rules_refuses_the_other_formats(world):
    specs = services.current_form(world.full_file).ordered_fields()
    png = SimpleUploadedFile("deliberation.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)
    bound = AnswersForm({}, {"deliberation": png}, specs=specs, organisation=world.commune)
    assert not bound.is_valid()
    errors = str(bound.errors["deliberation"])
    assert "« deliberation.png » : type de fichier non accepté. Formats acceptés : PDF." in errors


def test_a_field_smaller_than_the_shared_limit_says_its_own_limit(world):
    specs = services.current_form(world.full_file).ordered_fields()
    big = SimpleUploadedFile("deliberation.pdf", b"%PDF-1.7\n" + b"0" * (11 * 1024 * 1024))
    bound = AnswersForm({}, {"deliberation": big}, specs=specs, organisation=world.commune)
    assert not bound.is_valid()
    errors = str(bound.errors["deliberation"])
    assert "« deliberation.pdf » pèse 11,0 Mo : la taille maximale est de 10 Mo." in errors


def test_autosave_keeps_valid_answers_even_when_others_are_invalid(world):
    application = services.start_application(world.holder, world.call, world.commune)
    answers = services.answers_for(application)
    specs = services.fields_of(answers)
    bound = AnswersForm(
        {"summary": "Texte", "agenda21_year": "pas un nombre"},
        specs=specs,
        organisation=world.commune,
    )
    bound.is_valid()
    services.save_answers(world.holder, application, bound.valid_values())
    answers.refresh_from_db()
    assert answers.data["summary"] == "Texte"
    assert "agenda21_year" not in answers.data


def test_a_draft_saves_without_its_required_answers_which_are_not_marked_optional(world):
    specs = services.current_form(world.intention).ordered_fields()
    bound = AnswersForm({"summary": ""}, specs=specs, organisation=world.commune)
    assert bound.is_valid(), bound.errors
    html = str(bound["summary"].as_field_group())
    assert "Présentation du projet" in html and "(optionnel)" not in html
    assert "(optionnel)" in str(bound["agenda21"].as_field_group())
    assert " required" not in html
