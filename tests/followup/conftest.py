import pytest

from tests.calls.factories import build_geography
from tests.followup.factories import build_support


@pytest.fixture
def geo(db):
    return build_geography()


@pytest.fixture
def support(geo):
    """A follow-up opened from a selected application (tests/followup/factories.py)."""
    return build_support(geo)
