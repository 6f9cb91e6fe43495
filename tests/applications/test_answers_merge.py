"""Concurrent edits of one application (finding 8 of issue 10): two tabs editing different
fields both keep their edits; the same field edited twice is refused beside the field, the
other fields still saved; a request naming one field never touches the others."""

import html
import re

import pytest
from django.urls import reverse

from ecoquartier.applications import services
from ecoquartier.core.merge import fingerprints
from tests.applications.factories import INTENTION_ANSWERS

pytestmark = pytest.mark.django_db

FILLED = {
    **INTENTION_ANSWERS,
    "agenda21": "yes",
    "agenda21_year": "2012",
    "hqe": "no",
}
CONFLICT = "Cette réponse a été modifiée entre-temps"


@pytest.fixture
def application(world):
    application = services.start_application(world.holder, world.call, world.commune)
    services.save_answers(world.holder, application, FILLED)
    return application


def stored(application):
    return services.answers_for(application).data


# --- Service ----------------------------------------------------------------------------------


def test_two_saves_based_on_the_same_answers_keep_both_edits(world, application):
    base = fingerprints(FILLED, FILLED)
    services.save_answers(world.holder, application, {**FILLED, "summary": "A"}, base=base)
    saved = services.save_answers(
        world.holder, application, {**FILLED, "motivation": "B"}, base=base
    )
    assert saved.conflicts == {}
    assert stored(application) == {**FILLED, "summary": "A", "motivation": "B"}


def test_the_same_field_changed_twice_is_a_conflict_and_the_rest_is_saved(world, application):
    base = fingerprints(FILLED, FILLED)
    services.save_answers(world.holder, application, {**FILLED, "summary": "A"}, base=base)
    saved = services.save_answers(
        world.holder, application, {**FILLED, "summary": "B", "hqe": "yes"}, base=base
    )
    assert saved.conflicts == {"summary": ("A", "B")}
    assert stored(application) == {**FILLED, "summary": "A", "hqe": "yes"}


def test_a_save_naming_one_field_touches_no_other(world, application):
    services.save_answers(world.holder, application, {"summary": "Seul changement"})
    assert stored(application) == {**FILLED, "summary": "Seul changement"}


# --- Pages ------------------------------------------------------------------------------------


def edit_url(application):
    return reverse("applications:edit", args=[application.pk])


def autosave_url(application):
    return reverse("applications:autosave", args=[application.pk])


def base_in(content):
    """The fingerprints a page or an autosave answer carries (the hidden `_base` input)."""
    return html.unescape(re.search(r'name="_base" id="answers-base" value="([^"]*)"', content)[1])


def tab(client, application):
    """What a browser tab posts: every field as the page shows it, with its base."""
    content = client.get(edit_url(application)).content.decode()
    return {**FILLED, "_base": base_in(content)}


def test_two_tabs_autosaving_different_fields_keep_both_edits(client, world, application):
    client.force_login(world.holder)
    first, second = tab(client, application), tab(client, application)
    client.post(autosave_url(application), {**first, "summary": "Onglet 1"})
    response = client.post(autosave_url(application), {**second, "motivation": "Onglet 2"})
    assert CONFLICT not in response.content.decode()
    assert stored(application) == {**FILLED, "summary": "Onglet 1", "motivation": "Onglet 2"}


def test_two_tabs_autosaving_the_same_field_refuse_the_second_beside_the_field(
    client, world, application
):
    client.force_login(world.holder)
    first, second = tab(client, application), tab(client, application)
    client.post(autosave_url(application), {**first, "summary": "Onglet 1"})
    response = client.post(
        autosave_url(application), {**second, "summary": "Onglet 2", "hqe": "yes"}
    )
    content = response.content.decode()
    assert CONFLICT in content and "« Onglet 2 »" in content
    # The field comes back, out of band, with the stored answer and the message beside it.
    field = content[content.index('id="field-summary"') :]
    assert 'hx-swap-oob="true"' in field[:200] and "Onglet 1" in field
    assert stored(application) == {**FILLED, "summary": "Onglet 1", "hqe": "yes"}


def test_the_autosave_answer_rebases_the_tab_so_its_next_save_merges(client, world, application):
    client.force_login(world.holder)
    first, second = tab(client, application), tab(client, application)
    answer = client.post(autosave_url(application), {**first, "summary": "Onglet 1"})
    first["_base"] = base_in(answer.content.decode())
    first["summary"] = "Onglet 1"
    client.post(autosave_url(application), {**second, "motivation": "Onglet 2"})
    # The first tab still shows the old motivation: its next change must not write it back.
    answer = client.post(autosave_url(application), {**first, "hqe": "yes"})
    assert CONFLICT not in answer.content.decode()
    assert stored(application) == {
        **FILLED, "summary": "Onglet 1", "motivation": "Onglet 2", "hqe": "yes"
    }  # fmt: skip


def test_saving_the_page_with_a_conflict_shows_it_beside_the_field(client, world, application):
    client.force_login(world.holder)
    first, second = tab(client, application), tab(client, application)
    client.post(edit_url(application), {**first, "summary": "Onglet 1", "save": "1"})
    response = client.post(
        edit_url(application), {**second, "summary": "Onglet 2", "hqe": "yes", "save": "1"}
    )
    assert response.status_code == 409
    content = response.content.decode()
    group = content[content.index('id="field-summary"') : content.index('id="field-urbanity"')]
    assert CONFLICT in group and "Onglet 1" in group
    assert stored(application) == {**FILLED, "summary": "Onglet 1", "hqe": "yes"}
    # Saving again from the page as shown writes nothing more and loses nothing.
    again = {**FILLED, "summary": "Onglet 1", "hqe": "yes", "_base": base_in(content)}
    assert client.post(edit_url(application), {**again, "save": "1"}).status_code == 302


def test_a_crafted_one_field_autosave_blanks_no_other_answer(client, world, application):
    client.force_login(world.holder)
    client.post(autosave_url(application), {"summary": "Seul champ"})
    assert stored(application) == {**FILLED, "summary": "Seul champ"}
    base = base_in(client.get(edit_url(application)).content.decode())
    client.post(autosave_url(application), {"motivation": "Autre", "_base": base})
    assert stored(application) == {**FILLED, "summary": "Seul champ", "motivation": "Autre"}
