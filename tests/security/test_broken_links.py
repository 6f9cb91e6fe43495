"""No broken internal link for any demo role (issue 13): a link shown to someone who may not open
it is a bug, fixed by not showing it or by letting them open it.

As each demo account and anonymously, the pages reachable from the home page and the dashboard
are crawled by following their <a href> links (GET only, each request in a savepoint rolled
back after it). Every internal link of every page read is checked: it must answer 200, or
redirect to a page that does (a signed-in person is never sent to the login page); files are
checked but not read. Bounded: each URL once, at most `PER_ROUTE` URLs per URL pattern.
The counts are printed (`pytest -s`).
"""

from collections import deque
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from tests.security import harness

pytestmark = pytest.mark.django_db

DEMO = "@demo.ecoquartier.fr"
ROLES = [None, "porteur.saint-ouen", "referent.ddt93", "referent.dreal-idf", "expert.cerema",
         "gestionnaire.dgaln", "partenaire.amf", "admin"]  # fmt: skip
START = ["/", "/tableau-de-bord/"]
PER_ROUTE = 5
MAX_HOPS = 3
# Links not checked: leaving the session; the Django admin is checked, not crawled.
NOT_CHECKED = ("/compte/deconnexion/",)
NOT_READ = ("/admin/", "/static/", "/media/")


@dataclass
class Tally:
    pages: int = 0  # pages read for their links
    links: int = 0  # distinct links checked
    broken: list = field(default_factory=list)  # (link, status, pages showing it)
    shown_on: dict = field(default_factory=dict)  # link -> first pages showing it


def internal(link):
    """The local URL of an internal link (fragment dropped), or None."""
    parts = urlsplit(link)
    if parts.scheme not in ("http", "https") or parts.netloc != "testserver":
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def route_of(url):
    try:
        return resolve(urlsplit(url).path).route
    except Resolver404:
        return None


def get(client, url):
    """GET in a savepoint rolled back after it: a link must not change anything, and if it
    does, the next request still meets the demo as loaded."""
    with transaction.atomic():
        response = client.get(url)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
        transaction.set_rollback(True)
    return response


def open_link(client, url, signed_in):
    """(final status or "login", final response) after following at most MAX_HOPS redirects."""
    login = reverse(settings.LOGIN_URL)
    for _hop in range(MAX_HOPS + 1):
        response = get(client, url)
        if response.status_code not in (301, 302, 303, 307, 308):
            return response.status_code, response, url
        target = internal(urljoin("http://testserver" + url, response["Location"]))
        if target is None:
            return 200, None, url  # off-site redirects (ProConnect…) are not ours to check
        if signed_in and urlsplit(target).path == login:
            return "login", None, url
        url = target
    return "redirect loop", None, url


def crawl(client, signed_in):
    tally = Tally()
    checked, per_route = set(), {}
    queue = deque(START if signed_in else START[:1])
    for url in queue:
        tally.shown_on[url] = ["(départ)"]
    while queue:
        url = queue.popleft()
        if url in checked:
            continue
        route = route_of(url)
        if route is not None and per_route.get(route, 0) >= PER_ROUTE:
            continue
        checked.add(url)
        per_route[route] = per_route.get(route, 0) + 1
        tally.links += 1
        status, response, final = open_link(client, url, signed_in)
        if status != 200:
            tally.broken.append((url, status, tally.shown_on[url][:3]))
            continue
        readable = (
            response is not None
            and "html" in response.get("Content-Type", "")
            and not final.startswith(NOT_READ)
        )
        if not readable:
            continue
        tally.pages += 1
        _forms, links = harness.parse(response.content.decode(), "http://testserver" + final)
        for link in links:
            target = internal(link)
            if target is None or target.startswith(NOT_CHECKED):
                continue
            tally.shown_on.setdefault(target, []).append(final)
            if target not in checked:
                queue.append(target)
    return tally


@pytest.mark.parametrize("role", ROLES, ids=lambda role: role or "anonyme")
def test_every_link_shown_to_a_role_opens(demo_world, settings, role):
    settings.MEDIA_ROOT = demo_world.media
    client = Client(raise_request_exception=False)
    if role is not None:
        client.force_login(demo_world.account(role + DEMO))
    tally = crawl(client, signed_in=role is not None)
    print(f"\n{role or 'anonyme'}: {tally.pages} pages crawled, {tally.links} links checked")
    broken = "\n".join(
        f"  {status} {url} (shown on {', '.join(pages)})" for url, status, pages in tally.broken
    )
    assert not tally.broken, f"broken links for {role or 'anonyme'}:\n{broken}"
