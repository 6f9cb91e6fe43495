"""The rule of the browser journeys (tests/journeys/rules.py): one typed address, the home page
or an e-mail's link; everything else by clicking. The `page` fixture of the journeys enforces it
at run time; these tests check the rule itself, and that no journey steps around the guarded tab
(they run without a browser)."""

import pytest

from tests.journeys.rules import JOURNEYS, escapes, may_type

INVITATION = "Rejoignez la candidature : https://ecoquartier.example/candidatures/invitation/abc/"


def test_the_home_page_may_be_typed():
    assert may_type("/", [])
    assert may_type("http://localhost:8000/", [])


@pytest.mark.parametrize(
    "url", ["/projets/", "/candidatures/12/formulaire/", "/compte/connexion/", "/?next=/projets/"]
)
def test_an_inner_page_may_not_be_typed(url):
    assert not may_type(url, [INVITATION])


def test_the_link_an_e_mail_gave_may_be_typed():
    assert may_type("/candidatures/invitation/abc/", [INVITATION])
    assert may_type("http://localhost:8000/candidatures/invitation/abc/", [INVITATION])
    assert not may_type("/candidatures/invitation/other/", [INVITATION])


def test_an_address_leading_nowhere_may_be_typed_to_see_the_not_found_page():
    assert may_type("/cette-page-n-existe-pas/", [])


def test_no_journey_opens_a_tab_or_a_request_of_its_own():
    found = {
        path.name: escapes(path.read_text(encoding="utf-8"))
        for path in sorted(JOURNEYS.glob("test_*.py"))
    }
    assert not {name: uses for name, uses in found.items() if uses}
