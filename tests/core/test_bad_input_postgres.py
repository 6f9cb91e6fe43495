"""The NUL-byte cases of finding 9 where they were 500s: on PostgreSQL, which refuses NUL in any
text it is given (the same requests run on SQLite in test_bad_input.py and tests/projects)."""

import pytest
from django.conf import settings

from tests.organisations.factories import MembershipFactory, OrganisationFactory
from tests.territories.factories import CommuneFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="PostgreSQL refuses NUL bytes; SQLite stores them",
    ),
    pytest.mark.django_db,
]


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/aides/?q=%00", 400),
        ("/aides/?territoire=04%00160", 400),
        ("/projets/?q=a%00b", 400),
        ("/projets/?territory=commune:04160%00", 400),
        ("/territoires/autocomplete.json?q=%00", 400),
        ("/organisations/territoire/commune/04%00160/", 404),
        ("/aides/alertes/confirmer/%00/", 404),
    ],
)
def test_anonymous_requests_with_a_nul_byte_get_a_french_400_or_404(client, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert ("Requête invalide" if status == 400 else "Page non trouvée") in (
        response.content.decode()
    )


def test_a_nul_byte_in_a_posted_territory_field_is_refused_beside_the_field(client):
    commune = CommuneFactory(code="93070", name="Saint-Ouen-sur-Seine")
    town_hall = OrganisationFactory(territory=commune)
    client.force_login(MembershipFactory(organisation=town_hall).user)
    response = client.post(
        "/projets/nouveau/",
        {"name": "Projet", "holders": [town_hall.pk], "communes": "93070\x00", "stage": "studies"},
    )
    assert response.status_code == 200
    assert "Le caractère nul n’est pas autorisé." in response.content.decode()
