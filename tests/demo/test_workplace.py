"""Each demo role's workplace (issue 13): the header's menu, the dashboard's shortcuts and its
inbox offer what that role can do and nothing it cannot; every page a role reaches by clicking
has a breadcrumb and a title of its own that names the object it shows."""

import html as html_lib
import re
from collections import defaultdict
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import resolve, reverse

from tests.security import harness
from tests.security.conftest import demo_world  # noqa: F401 - the module-scoped demo

pytestmark = pytest.mark.django_db

DEMO = "@demo.ecoquartier.fr"


def _client(world, email):
    client = Client()
    client.force_login(world.account(email + DEMO))
    return client


def _dashboard(world, email):
    return _client(world, email).get(reverse("core:dashboard")).content.decode()


def _shortcuts(page):
    part = page.split("Accès rapides", 1)[1]
    return set(re.findall(r'class="fr-btn fr-btn--secondary[^"]*" href="[^"]*">([^<]+)</a>', part))


def _menu(page):
    nav = page.split('id="header-navigation"', 1)[1].split("</nav>", 1)[0]
    return set(re.findall(r'class="fr-nav__link" href="[^"]*"[^>]*>([^<]+)</a>', nav))


def _inbox(page):
    """[(url, label, count)] of the "À faire" table."""
    table = page.split('id="inbox"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r'<td><a href="([^"]+)">([^<]+)</a></td>\s*<td>(\d+)</td>', table)
    return [(url, html_lib.unescape(label), int(n)) for url, label, n in rows]


EVERYONE = {"Trouver une aide", "Label ÉcoQuartier", "Le référentiel ÉcoQuartier", "Mon profil"}
# (account, menu links it must have, must not have, dashboard shortcuts it must / must not have)
ROLES = [
    (
        "porteur.saint-ouen",
        {"Mes candidatures", "Label"},
        {"Instruction", "Gestion des appels", "Évaluations"},
        {"Créer un projet", "Mes candidatures", "Mes projets"},
        {"Candidatures à instruire", "Gestion des appels", "Mes évaluations"},
    ),
    (
        "referent.ddt93",
        {"Instruction", "Label"},
        {"Mes candidatures", "Gestion des appels", "Évaluations"},
        {"Candidatures à instruire"},
        {"Créer un projet", "Mes candidatures", "Gestion des appels"},
    ),
    (
        "expert.cerema",
        {"Évaluations", "Label"},
        {"Mes candidatures", "Instruction", "Gestion des appels"},
        {"Mes évaluations"},
        {"Créer un projet", "Mes candidatures", "Candidatures à instruire", "Gestion des appels"},
    ),
    (
        "gestionnaire.dgaln",
        {"Gestion des appels", "Instruction", "Label"},
        {"Mes candidatures", "Évaluations"},
        {"Gestion des appels", "Candidatures à instruire"},
        {"Créer un projet", "Mes candidatures"},
    ),
    (
        "partenaire.amf",
        {"Label"},
        {"Mes candidatures", "Instruction", "Gestion des appels", "Évaluations"},
        set(),
        {"Créer un projet", "Mes candidatures", "Candidatures à instruire", "Gestion des appels"},
    ),
    (
        "admin",
        {"Gestion des appels", "Instruction", "Mes candidatures"},
        set(),
        {"Créer un projet", "Gestion des appels", "Candidatures à instruire"},
        set(),
    ),
]


@pytest.mark.parametrize(("email", "menu", "no_menu", "shortcuts", "no_shortcuts"), ROLES)
def test_each_role_is_offered_what_it_can_do_and_nothing_else(
    demo_world,  # noqa: F811
    email,
    menu,
    no_menu,
    shortcuts,
    no_shortcuts,
):
    page = _dashboard(demo_world, email)
    assert menu <= _menu(page)
    assert not no_menu & _menu(page)
    assert EVERYONE | shortcuts <= _shortcuts(page)
    assert not no_shortcuts & _shortcuts(page)
    assert 'id="inbox"' in page


def test_the_inbox_of_state_services_experts_and_managers_links_to_their_work(
    demo_world,  # noqa: F811
):
    referent = _inbox(_dashboard(demo_world, "referent.ddt93"))
    # Saint-Ouen's avenant waits for the préfet's signature (the follow-up's demo).
    assert any(
        "/accompagnements/" in url and label == "Conventions d'accompagnement à signer"
        for url, label, _n in referent
    )
    expert = _inbox(_dashboard(demo_world, "expert.cerema"))
    assert any(label == "Dossiers de labellisation à expertiser" for _u, label, _n in expert)
    manager = _inbox(_dashboard(demo_world, "gestionnaire.dgaln"))
    assert any("/instruction/" in url for url, _label, _n in manager)
    for row in referent + expert + manager:  # every row opens where the task is done
        assert _client(demo_world, "admin").get(row[0]).status_code == 200


def test_the_referent_finds_the_applications_it_instructs(demo_world):  # noqa: F811
    client = _client(demo_world, "referent.ddt93")
    page = client.get(reverse("applications:instructing")).content.decode()
    assert "Candidatures que vous instruisez" in page
    assert "Aucune candidature déposée ne relève de vous" not in page


# --- Breadcrumbs and titles on every page a role reaches -----------------------------------------

CRAWLED = ["porteur.saint-ouen", "referent.ddt93", "expert.cerema", "gestionnaire.dgaln", None]


class Recorder:
    """A client that keeps the HTML of every page it fetched."""

    def __init__(self, client):
        self.client, self.pages = client, {}

    def get(self, url):
        response = self.client.get(url)
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            self.pages[url] = response.content.decode()
        return response


def _title(page):
    found = re.search(r"<title>(.*?)</title>", page, re.S)
    return html_lib.unescape(" ".join(found.group(1).split())) if found else ""


@pytest.fixture(scope="module")
def crawled(demo_world, django_db_blocker):  # noqa: F811
    """{url: html} of the pages each crawled role reaches from the home page and its dashboard,
    two instances of each URL pattern."""
    pages = {}
    with django_db_blocker.unblock():
        for email in CRAWLED:
            client = Client()
            entries = ["/"]
            if email:
                client.force_login(demo_world.account(email + DEMO))
                entries.append(reverse("core:dashboard"))
            recorder = Recorder(client)
            harness.crawl(recorder, entries, max_pages=150, per_route=2)
            pages.update(recorder.pages)
    return pages


def test_every_page_below_home_has_a_breadcrumb(crawled):
    assert len(crawled) >= 80  # the roles' pages, not a handful
    missing = sorted(
        url for url, page in crawled.items() if url != "/" and 'class="fr-breadcrumb"' not in page
    )
    assert missing == []


def test_every_page_has_a_title_of_its_own(crawled):
    by_title = defaultdict(set)
    for url, page in crawled.items():
        by_title[_title(page)].add(urlsplit(url).path)
    shared = {title: sorted(urls) for title, urls in by_title.items() if len(urls) > 1}
    assert not shared, "\n".join(f"{title}: {urls}" for title, urls in shared.items())


def test_the_title_of_a_page_of_an_object_names_it(crawled):
    """Two pages of one pattern showing two objects have two titles."""
    by_route = defaultdict(dict)
    for url, page in crawled.items():
        match = resolve(urlsplit(url).path)
        if match.kwargs:
            by_route[match.route][tuple(sorted(match.kwargs.items()))] = _title(page)
    alike = {
        route: sorted(titles.values())
        for route, titles in by_route.items()
        if len(titles) > 1 and len(set(titles.values())) < len(titles)
    }
    assert not alike, "\n".join(f"{route}: {titles}" for route, titles in alike.items())
