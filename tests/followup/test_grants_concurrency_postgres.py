"""Two requests on the same grant at the same moment, each within what is left but not both:
the grant's row lock lets exactly one through, the other is told what is left. Needs real row
locks: PostgreSQL."""

import threading
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from ecoquartier.followup import grants
from ecoquartier.followup.models import Instalment
from tests.calls.factories import build_geography
from tests.followup.factories import build_support
from tests.organisations.factories import OrganisationFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="row locks need PostgreSQL",
    ),
    pytest.mark.django_db(transaction=True),
]
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def test_two_simultaneous_requests_never_exceed_the_grant():
    support = build_support(build_geography())
    grant = grants.add_grant(
        support.manager, support.follow_up,
        {"funder": OrganisationFactory(kind="region"), "purpose": "Études",
         "amount": Decimal(10000)},
    )  # fmt: skip
    barrier = threading.Barrier(2)
    outcomes = []

    def ask():
        try:
            barrier.wait(timeout=10)
            grants.request_instalment(
                support.holder, grant, kind="interim", amount=Decimal(6000),
                files=[SimpleUploadedFile("facture.pdf", PDF)],
            )  # fmt: skip
            outcomes.append("won")
        except ValidationError as error:
            outcomes.append(error.message_dict["amount"][0])
        finally:
            connection.close()

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == [
        "Il reste 4\u202f000,00\u00a0€ à verser sur cette subvention.",
        "won",
    ]
    assert Instalment.objects.filter(grant=grant).count() == 1
