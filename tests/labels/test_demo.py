"""The label demo: a 2024 campaign through every state, the Docks awarded "Livré", the current
campaign a real label campaign, idempotent."""

import pytest
from django.core.management import call_command

from ecoquartier.labels import demo
from ecoquartier.labels.models import Campaign, FileState, LabelFile, LabelStep
from tests.demo.conftest import demo_territories  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(demo_territories):  # noqa: F811
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_the_2024_campaign_has_a_file_in_every_state_from_several_regions(loaded):
    campaign = Campaign.objects.get(year=2024)
    files = LabelFile.objects.filter(campaign=campaign)
    assert set(files.values_list("state", flat=True)) == set(FileState.values)
    assert files.values("region").distinct().count() >= 5
    adjourned = files.get(state=FileState.ADJOURNED).deliberations.get()
    assert adjourned.support_provider == "Cerema"


def test_the_docks_are_labelled_livre_in_2024(loaded):
    step = LabelStep.objects.get(project__name="Écoquartier des Docks", stage__code="livre")
    assert step.year == 2024
    assert step.project.label.stage.code == "livre"


def test_the_docks_file_reads_its_values_from_the_indicators_app_with_a_comment(loaded):
    from ecoquartier.indicators.status import Status
    from ecoquartier.labels import performance

    file = LabelFile.objects.select_related("project").get(project__name="Écoquartier des Docks")
    rows = performance.check(file, restricted=True)
    assert rows and all(r.line.target and r.line.latest for r in rows)
    assert {r.line.status for r in rows} <= {Status.ON_TRACK, Status.OFF_TRACK}
    commented = [r for r in rows if r.comments]
    assert [r.indicator.code for r in commented] == ["CC-04"]
    assert commented[0].comments[0].author.email == demo.EXPERT


def test_the_old_scheme_history_is_kept(loaded):
    step = LabelStep.objects.get(project__name="Écoquartier de Bonne")
    assert (step.stage.scheme.code, step.stage.code) == ("2016", "etape-3")


def test_loading_again_duplicates_nothing(loaded):
    counts = (LabelFile.objects.count(), LabelStep.objects.count())
    assert demo.load().startswith("Campagne 2024 : 0 dossier(s) créé(s)")
    assert (LabelFile.objects.count(), LabelStep.objects.count()) == counts


def test_the_current_campaign_is_a_label_campaign_on_the_published_call(loaded):
    from ecoquartier.calls import demo as calls_demo
    from ecoquartier.calls.models import Call

    year = calls_demo.campaign_year()
    campaign = Campaign.objects.get(year=year)
    assert campaign.call.slug == calls_demo.LABELLING_SLUG.format(year=year)
    assert Call.objects.filter(kind=Call.Kind.LABELLING, label_campaign__isnull=True).count() == 0
    assert campaign.file_step.forms.filter(published_at__isnull=False).exists()
    assert campaign.call in Call.objects.open()
    assert [s.code for s in campaign.open_stages()] == ["livre", "vecu"]


def test_loading_again_keeps_one_current_campaign(loaded):
    counts = (Campaign.objects.count(), Campaign.objects.get(year=2024).call.steps.count())
    demo.load()
    assert (Campaign.objects.count(), Campaign.objects.get(year=2024).call.steps.count()) == counts
