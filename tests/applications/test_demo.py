"""The demo step: the PACA AMI's laureates decided, the Cerema call scored with its bonus, a
two-step call in progress; idempotent."""

import pytest
from django.core.management import call_command

from ecoquartier.applications import demo
from ecoquartier.applications.models import Application, DecisionLetter, State
from tests.demo.conftest import demo_territories  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(demo_territories):  # noqa: F811
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_the_five_laureates_of_the_paca_ami_are_selected(loaded):
    selected = Application.objects.filter(
        call__slug="ami-quartiers-durables-paca-2017", state=State.SELECTED
    )
    codes = sorted(selected.values_list("territory__code", flat=True))
    assert codes == sorted(["04012", "04197", "04160", "04188", "240600585"])
    assert all(a.score and a.review_count == 2 and a.motivation for a in selected)


def test_the_paca_ami_decisions_are_notified_by_signed_letters(loaded):
    decided = Application.objects.filter(call__slug="ami-quartiers-durables-paca-2017")
    letters = DecisionLetter.objects.filter(application__in=decided, sent_at__isnull=False)
    assert letters.count() == decided.count() > 0
    assert all(letter.signatory_role and letter.file for letter in letters)


def test_the_cerema_call_is_scored_with_the_priority_bonus(loaded):
    scored = Application.objects.filter(call__slug="cerema-accompagnement-ecoquartier-2022")
    assert scored.filter(score__isnull=False).count() == scored.count() > 0
    assert scored.filter(bonus=2).exists()


def test_a_two_step_call_is_in_progress(loaded):
    running = Application.objects.filter(call__slug=demo.TWO_STEP_SLUG)
    states = sorted(running.values_list("state", flat=True))
    assert State.COMPLETION_REQUESTED in states and State.DRAFT in states
    assert running.filter(interview_at__isnull=False).exists()


def test_loading_twice_duplicates_nothing(loaded):
    count = Application.objects.count()
    assert demo.load() == ""
    assert Application.objects.count() == count
