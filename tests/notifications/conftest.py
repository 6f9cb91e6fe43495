import pytest

from ecoquartier.core.activity import record
from ecoquartier.notifications import registry
from tests.accounts.factories import UserFactory

VERB = "test.reported"


@pytest.fixture
def people(db):
    return {
        "actor": UserFactory(first_name="Ada", last_name="Lovelace"),
        "alice": UserFactory(email="alice@exemple.fr"),
        "bob": UserFactory(email="bob@exemple.fr"),
    }


@pytest.fixture
def rule(people):
    """A rule on a verb of the tests' own: the actor's report reaches Alice and Bob (and not the
    actor, who is listed too)."""
    registry.register(
        VERB,
        recipients=lambda event, targets: [people["actor"], people["alice"], people["bob"]],
        url=lambda event, targets: "/projets/",
    )
    yield registry.rule(VERB, registry.DEFAULT_TEMPLATE)
    registry.RULES.pop(VERB)


def report(people, summary="Rapport déposé", reason=""):
    return record(people["actor"], VERB, summary, targets=[people["actor"]], reason=reason)
