import pytest

from tests.assessments.factories import cast
from tests.referentiel.factories import load_current


@pytest.fixture
def referentiel(db):
    return load_current()


@pytest.fixture
def people(referentiel):
    return cast(is_public=False)


@pytest.fixture
def public_people(referentiel):
    return cast(is_public=True)
