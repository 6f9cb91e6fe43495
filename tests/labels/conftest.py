import pytest

from tests.labels.factories import build_world
from tests.referentiel.factories import load_current


@pytest.fixture
def referentiel(db):
    return load_current()


@pytest.fixture
def world(referentiel):
    return build_world()
