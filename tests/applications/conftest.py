import pytest

from tests.applications.factories import build_world
from tests.calls.factories import build_geography


@pytest.fixture
def geo(db):
    return build_geography()


@pytest.fixture
def world(geo):
    return build_world(geo)
