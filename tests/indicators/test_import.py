"""The spreadsheet: a template per project, a per-row report in French, an import that saves
everything or nothing, run as a background job, and an export that re-imports."""

import datetime
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from ecoquartier.core.models import ActivityEvent
from ecoquartier.indicators import loader, spreadsheet
from ecoquartier.indicators.models import IndicatorValue, ValueImport
from tests.accounts.factories import UserFactory
from tests.organisations.factories import MembershipFactory, OrganisationFactory
from tests.projects.factories import ProjectFactory
from tests.referentiel.factories import load_current

pytestmark = pytest.mark.django_db
HEADER = [str(label) for _name, label in spreadsheet.COLUMNS]


@pytest.fixture
def setting():
    load_current()
    loader.load(loader.DATA_DIR / "2023.yaml")
    commune = OrganisationFactory()
    holder = MembershipFactory(organisation=commune, user=UserFactory()).user
    return {"project": ProjectFactory(holders=[commune]), "holder": holder}


def workbook(*rows):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(list(row))
    out = BytesIO()
    book.save(out)
    return out.getvalue()


GOOD = ("CC-04", "", "%", "Mesure", datetime.date(2024, 6, 30), None, 22.5, "Mesurée",
        "Bailleurs", "", "", "Publique")  # fmt: skip
TARGET = ("CC-04", "", "", "Objectif", None, 2030, 30, "", "", "", "", "")


def test_the_template_lists_the_projects_indicators(setting):
    sheet = load_workbook(BytesIO(spreadsheet.template(setting["project"]))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    assert {row[0] for row in rows[1:]} >= {"CC-01", "SO-05", "CV-01"}


def test_a_clean_sheet_imports_every_row(setting):
    reading = spreadsheet.read(workbook(GOOD, TARGET), setting["project"])
    assert reading.problems == [] and reading.rows == 2
    assert spreadsheet.import_values(setting["holder"], setting["project"], reading) == 2
    assert IndicatorValue.objects.filter(project=setting["project"]).count() == 2
    assert ActivityEvent.objects.filter(verb="indicator.values_imported").count() == 1


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (("XX-99", "", "", "Mesure", datetime.date(2024, 1, 1), None, 1), "Code",
         "Indicateur inconnu : « XX-99 »."),
        (("CC-04", "", "m²", "Mesure", datetime.date(2024, 1, 1), None, 1), "Unité",
         "Unité « m² » : cet indicateur se mesure en %."),
        (("CC-04", "", "", "Mesure", datetime.date(2024, 1, 1), None, 140), "Valeur",
         "La valeur doit être comprise entre 0,0 et 100,0 %."),
        (("CC-04", "", "", "Mesure", "31/02/2024", None, 10), "Date",
         "Date attendue au format jj/mm/aaaa."),
        (("CC-04", "", "", "Objectif", None, "bientôt", 10), "Année cible",
         "Année cible attendue, par exemple 2030."),
        (("CC-04", "", "", "Estimation", datetime.date(2024, 1, 1), None, 10), "Nature",
         "Nature attendue : Situation de départ, Objectif, Mesure."),
    ],
)  # fmt: skip
def test_one_bad_row_is_reported_and_nothing_is_saved(setting, row, column, message):
    reading = spreadsheet.read(workbook(GOOD, row, TARGET), setting["project"])
    assert reading.problems == [{"row": 3, "column": column, "message": message}]
    assert spreadsheet.import_values(setting["holder"], setting["project"], reading) == 0
    assert not IndicatorValue.objects.exists()


def test_an_unreadable_file_is_reported(setting):
    reading = spreadsheet.read(b"not a workbook", setting["project"])
    assert reading.problems[0]["message"] == "Ce fichier n'est pas un classeur XLSX lisible."


def test_the_export_reimports_into_another_project(setting):
    spreadsheet.import_values(
        setting["holder"], setting["project"],
        spreadsheet.read(workbook(GOOD, TARGET), setting["project"]),
    )  # fmt: skip
    exported = spreadsheet.export(setting["holder"], setting["project"])
    other = ProjectFactory(holders=list(setting["project"].holders.all()))
    reading = spreadsheet.read(exported, other)
    assert reading.problems == [] and len(reading.values) == 2


def test_the_holder_uploads_and_the_job_reports(
    client, setting, django_capture_on_commit_callbacks
):
    client.force_login(setting["holder"])
    url = reverse("indicators:import", args=[setting["project"].slug])
    bad = SimpleUploadedFile("valeurs.xlsx", workbook(GOOD, ("XX-99", "", "", "Mesure",
                             datetime.date(2024, 1, 1), None, 1)))  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"file": bad})
    job = ValueImport.objects.get()
    assert response.url == reverse("indicators:import_status", args=[job.pk])
    page = client.get(response.url).content.decode()
    assert "Rien n&#x27;a été importé" in page or "Rien n'a été importé" in page
    assert "Indicateur inconnu : « XX-99 »." in page
    assert not IndicatorValue.objects.exists()
    client.force_login(UserFactory())
    assert client.get(response.url).status_code == 404
