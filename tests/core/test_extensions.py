"""Role-aware links and the task inbox (core.extensions): what the menu, the dashboard's shortcuts
and its "À faire" table show depends on who asks."""

import datetime

import pytest
from django.urls import reverse

from ecoquartier.core import extensions


@pytest.fixture
def registry(monkeypatch):
    monkeypatch.setattr(extensions, "_links", {})
    monkeypatch.setattr(extensions, "_task_providers", {})
    return extensions


def test_links_filtered_by_visibility(registry):
    registry.register_link("main_nav", "Tous", "core:home", order=2)
    registry.register_link(
        "main_nav", "Gestion", "core:dashboard", order=1, visible=lambda user: user == "manager"
    )
    assert [link.label for link in registry.links("main_nav", user="manager")] == [
        "Gestion",
        "Tous",
    ]
    assert [link.label for link in registry.links("main_nav", user="holder")] == ["Tous"]
    # Without a user (the registry itself), every link.
    assert len(registry.links("main_nav")) == 2


def test_tasks_nonzero_dated_first(registry):
    soon = datetime.date(2026, 12, 10)
    later = datetime.date(2027, 1, 10)
    registry.register_tasks(
        "a",
        lambda user: [
            extensions.Task("Sans date", 3, "/a/"),
            extensions.Task("Rien", 0, "/b/"),
            extensions.Task("Plus tard", 1, "/c/", due=later),
        ],
    )
    registry.register_tasks("b", lambda user: [extensions.Task("Bientôt", 2, "/d/", due=soon)])
    assert [task.label for task in registry.tasks(object())] == [
        "Bientôt",
        "Plus tard",
        "Sans date",
    ]


@pytest.mark.django_db
def test_dashboard_shows_inbox_rows_linking_to_the_task(client, django_user_model, monkeypatch):
    user = django_user_model.objects.create_user(email="a@example.fr", password="x-Secret-123")
    monkeypatch.setattr(extensions, "_task_providers", {})
    extensions.register_tasks(
        "test",
        lambda who: [
            extensions.Task("Candidatures à instruire", 4, "/ici/", "la plus ancienne : hier")
        ],
    )
    client.force_login(user)
    html = client.get(reverse("core:dashboard")).content.decode()
    assert '<a href="/ici/">Candidatures à instruire</a>' in html
    assert "la plus ancienne : hier" in html
    monkeypatch.setattr(extensions, "_task_providers", {})
    html = client.get(reverse("core:dashboard")).content.decode()
    assert "Rien ne vous attend pour le moment." in html
