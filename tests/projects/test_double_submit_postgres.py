"""Two POSTs of one creating form at the same instant (a double click reaching two workers):
one project is created; the other request waits for it on the single-use key's row and is sent
to it. Needs concurrent transactions: PostgreSQL."""

import threading

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from ecoquartier.core.idempotency import FIELD, new_key
from ecoquartier.projects.models import Project

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="concurrent transactions need PostgreSQL",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_two_simultaneous_posts_of_one_form_create_one_project(holder, town_hall, commune):
    data = {
        FIELD: new_key(),
        "name": "Jardin partagé des Docks",
        "holders": [town_hall.pk],
        "communes": "93070",
        "stage": "reflection",
    }
    barrier = threading.Barrier(2)
    answers = []

    def post():
        client = Client()
        client.force_login(holder)
        try:
            barrier.wait(timeout=10)
            answers.append(client.post("/projets/nouveau/", data))
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    project = Project.objects.get()
    assert [a.status_code for a in answers] == [302, 302]
    assert {a.url for a in answers} == {project.get_absolute_url()}
