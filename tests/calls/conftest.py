import pytest

from tests.calls.factories import build_geography


@pytest.fixture
def geo(db):
    return build_geography()
