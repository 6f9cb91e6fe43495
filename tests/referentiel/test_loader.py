import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from ecoquartier.referentiel import loader
from ecoquartier.referentiel.models import Commitment, GuidingQuestion, ReferentielVersion
from tests.referentiel.factories import OLD_VERSION_FILE, load_current, load_old

pytestmark = pytest.mark.django_db


def test_the_current_version_has_four_dimensions_of_five_commitments():
    version = load_current()
    assert version.is_current
    dimensions = list(version.dimensions.all())
    assert [d.number for d in dimensions] == [1, 2, 3, 4]
    assert [d.commitments.count() for d in dimensions] == [5, 5, 5, 5]
    numbers = list(Commitment.objects.of_version(version).values_list("number", flat=True))
    assert numbers == list(range(1, 21))


def test_every_commitment_has_two_to_four_guiding_questions():
    version = load_current()
    for commitment in Commitment.objects.of_version(version):
        assert 2 <= commitment.questions.count() <= 4, commitment


def test_loading_twice_changes_nothing():
    call_command("load_referentiel")
    snapshot = list(GuidingQuestion.objects.order_by("pk").values_list("pk", "text"))
    call_command("load_referentiel")
    assert list(GuidingQuestion.objects.order_by("pk").values_list("pk", "text")) == snapshot
    assert ReferentielVersion.objects.count() == 1


def test_an_older_version_coexists_and_the_current_one_stays_current():
    current = load_current()
    old = load_old()
    assert ReferentielVersion.objects.count() == 2
    assert ReferentielVersion.objects.current() == current
    assert not old.is_current
    assert Commitment.objects.of_version(old).count() == 3


def test_a_new_current_version_replaces_the_previous_one_as_current(tmp_path):
    load_current()
    data = yaml.safe_load(OLD_VERSION_FILE.read_text())
    data.update(code="2030", current=True)
    path = tmp_path / "2030.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    new = loader.load(path).version
    assert ReferentielVersion.objects.current() == new
    assert ReferentielVersion.objects.filter(is_current=True).count() == 1


def test_a_reworded_question_is_updated_in_place(tmp_path):
    load_old()
    data = yaml.safe_load(OLD_VERSION_FILE.read_text())
    data["dimensions"][0]["commitments"][0]["questions"] = ["Qui pilote vraiment ?"]
    path = tmp_path / "v.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    loader.load(path)
    commitment = Commitment.objects.get(dimension__version__code="2012-essai", number=1)
    assert [q.text for q in commitment.questions.all()] == ["Qui pilote vraiment ?"]


def test_a_file_with_duplicate_commitment_numbers_is_refused(tmp_path):
    data = yaml.safe_load(OLD_VERSION_FILE.read_text())
    data["dimensions"][1]["commitments"][0]["number"] = 1
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    with pytest.raises(CommandError, match="duplicate commitment"):
        call_command("load_referentiel", str(path))
    assert not ReferentielVersion.objects.exists()
