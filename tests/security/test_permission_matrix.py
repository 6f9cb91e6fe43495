"""Every URL pattern × every role against the declared matrix (tests/security/matrix.py).

For each pattern of the project (walking the resolver), the world (tests/security/world.py)
instantiates it with its objects; each instance is fetched as every role — anonymous included —
and must answer what the matrix says. A 200 must not contain the marker of a private object the
role may not see (PDF text and CSV included); a refused POST must change nothing. A pattern
without a row fails: a new URL is added to the matrix with the rules it follows.
"""

import warnings

import pytest
from django.utils.deprecation import RemovedInDjango60Warning

from tests.security.fetching import client_for, fetch, fingerprint
from tests.security.matrix import (
    FORM,
    MARKER_AUDIENCES,
    MATRIX,
    STAFF,
    TURNED_AWAY,
    expectation,
)
from tests.security.world import ROLES, all_routes, url_instances

pytestmark = pytest.mark.django_db

ROUTES = sorted(all_routes())
# Markers a role of their audience saw during this module's run.
SHOWN = set()
REFUSED = {403, 404, 405, "login", "admin_login"}


@pytest.fixture(scope="module")
def clients(world, django_db_blocker):
    """One logged-in client per role; their sessions live in the world's transaction."""
    with django_db_blocker.unblock():
        return {role: client_for(world.users[role]) for role in ROLES}


@pytest.fixture(scope="module")
def instances(world):
    by_route = {}
    for instance in url_instances(world):
        by_route.setdefault(instance.route, []).append(instance)
    return by_route


def test_every_url_pattern_has_a_row_in_the_matrix():
    missing = sorted(
        name for route, name in ROUTES if not route.startswith("admin/") and name not in MATRIX
    )
    assert not missing, f"URL patterns without a row in tests/security/matrix.py: {missing}"


def test_every_row_of_the_matrix_is_a_url_pattern():
    names = {name for _route, name in ROUTES}
    assert not set(MATRIX) - names


def test_every_marker_has_an_audience(world):
    assert set(world.markers) == set(MARKER_AUDIENCES)


ADMIN_ROUTES = [route for route, _name in ROUTES if route.startswith("admin/")]


def roles_for(route):
    """Every role, but on the admin's 150 patterns, which answer alike to every non-staff
    account: anonymous, staff, and one other role in turn (each role meets ten of them)."""
    if not route.startswith("admin/") or route in ("admin/", "admin/login/", "admin/logout/"):
        return ROLES
    others = [role for role in ROLES if role not in STAFF and role != "anonymous"]
    turn = others[ADMIN_ROUTES.index(route) % len(others)]
    return [role for role in ROLES if role in ("anonymous", turn) or role in STAFF]


def admin_expectation(route, role):
    """Staff get the admin (or its own answer: missing object, read-only model, 405 on GET
    logout); others its login page — anonymous visitors first meet the site's on model pages."""
    if route == "admin/login/":
        return 302 if role in STAFF else 200
    if role in STAFF:
        return "staff"
    if route == "admin/logout/" and role != "anonymous":
        return 302
    return ("login", "admin_login") if role == "anonymous" else "admin_login"


def matches(expected, status):
    if expected == TURNED_AWAY:
        return status == 302
    if expected == FORM:
        return status in (200, 400)
    if expected == "staff":
        return status not in ("login", "admin_login") and isinstance(status, int) and status < 500
    if isinstance(expected, tuple):
        return status in expected
    return status == expected


@pytest.mark.parametrize(("route", "name"), ROUTES, ids=[route for route, _name in ROUTES])
def test_url_pattern_answers_each_role_as_the_matrix_says(
    route, name, world, clients, instances, record_property
):
    found = instances.get(route)
    assert found, f"{name} ({route}) is not instantiated: add it to url_instances() in world.py"
    pristine = fingerprint()
    errors, requests, markers = [], 0, 0
    for instance in found:
        for role in roles_for(route):
            if route.startswith("admin/"):
                expected = admin_expectation(route, role)
            else:
                row = expectation(name, instance.key, instance.method)
                assert row is not None, f"no row for {instance.method} {name} {instance.key!r}"
                expected = row[role]
            status, body, changed = _fetch(clients[role], instance, pristine, expected)
            requests += 1
            label = f"{instance.method} {instance.url} ({instance.key or '-'}) as {role}"
            if not matches(expected, status):
                errors.append(f"{label}: {status}, expected {expected}")
            if (status in REFUSED or expected == TURNED_AWAY) and changed:
                errors.append(f"{label}: refused ({status}) but rows changed")
            if body is not None:
                for key, marker in world.markers.items():
                    markers += 1
                    if marker not in body:
                        continue
                    if role in MARKER_AUDIENCES[key]:
                        SHOWN.add(key)
                    else:
                        errors.append(f"{label}: shows the private marker of {key}")
    assert fingerprint() == pristine, "a request left a change behind"
    record_property(
        "security_matrix",
        {"patterns": 1, "instances": len(found), "requests": requests, "markers": markers},
    )
    assert not errors, "\n".join(errors)


def _fetch(client, instance, pristine=None, expected=None):
    """Actions (POST, and following an invitation link) are checked for changes when
    refused."""
    acting = instance.method == "POST" or instance.name == "applications:accept"
    with warnings.catch_warnings():
        if instance.route.startswith("admin/dsfr/"):
            # django-dsfr's own admin form: a URLField without assume_scheme (Django 6 notice).
            warnings.filterwarnings("ignore", category=RemovedInDjango60Warning)
        return fetch(
            client,
            instance,
            pristine=pristine if acting else None,
            check=lambda status: status in REFUSED or expected == TURNED_AWAY,
        )


def test_each_private_marker_shows_to_someone_allowed(world, clients, instances):
    """The marker checks prove something only if each marker does show where it may."""
    pages = [
        i
        for found in instances.values()
        for i in found
        if i.method == "GET" and not i.route.startswith("admin/")
    ]
    unseen = []
    for key, marker in world.markers.items():
        if key in SHOWN:  # seen by the matrix test above (unless it was deselected)
            continue
        # Its own object's pages first: the marker is most likely there.
        candidates = sorted(pages, key=lambda i: i.key != key)
        if not any(_shows(clients, i, key, marker) for i in candidates):
            unseen.append(key)
    assert not unseen, f"markers never shown, even to their audience: {unseen}"


def _shows(clients, instance, key, marker):
    row = expectation(instance.name, instance.key, "GET") or {}
    role = next((r for r in sorted(MARKER_AUDIENCES[key]) if row.get(r) == 200), None)
    if role is None:
        return False
    _status, body, _changed = _fetch(clients[role], instance)
    return body is not None and marker in body
