"""The indicator spreadsheet of a project: a template to fill in (XLSX), its reading with a
report per row (unknown indicator, unit mismatch, out of bounds, bad date…), the all-or-nothing
import, and the export of the values a reader may see."""

import datetime
from dataclasses import dataclass, field
from io import BytesIO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from ecoquartier.core.activity import record
from ecoquartier.core.generations import bump
from ecoquartier.core.spreadsheets import xlsx_bytes
from ecoquartier.indicators import permissions, reads, services
from ecoquartier.indicators.models import GENERATION, IndicatorValue

L = gettext_lazy
COLUMNS = (
    ("code", L("Code")), ("name", L("Indicateur")), ("unit", L("Unité")),
    ("kind", L("Nature")), ("date", L("Date")), ("year", L("Année cible")),
    ("value", L("Valeur")), ("quality", L("Qualité")), ("source", L("Source")),
    ("method", L("Méthode")), ("comment", L("Commentaire")),
    ("visibility", L("Confidentialité")),
)  # fmt: skip
SHEET = L("Indicateurs")


def _choices(choices):
    """{French label in lower case: value}, to read what a person typed in the sheet."""
    return {str(label).lower(): value for value, label in choices}


def template(project):
    """An XLSX with a row per indicator of the project (code, name, unit), to fill in."""
    indicators = reads.project_indicators(project)
    rows = [[str(label) for _name, label in COLUMNS]]
    rows += [[i.code, i.name, i.unit, str(IndicatorValue.Kind.MEASUREMENT.label), None, None,
              None, str(IndicatorValue.Quality.MEASURED.label), "", "", "",
              str(IndicatorValue.Visibility.PUBLIC.label)] for i in indicators]  # fmt: skip
    return xlsx_bytes(rows, str(SHEET))


def export(user, project):
    """The values `user` may read, as an XLSX in the template's columns (re-importable)."""
    values = (
        reads.visible_values(user, project)
        .select_related("indicator")
        .order_by("indicator__order", "indicator__code", "kind", "date", "year")
    )
    rows = [[str(label) for _name, label in COLUMNS]]
    rows += [[v.indicator.code, v.indicator.name, v.indicator.unit, v.get_kind_display(), v.date,
              v.year, v.value, v.get_quality_display(), v.source, v.method, v.comment,
              v.get_visibility_display()] for v in values]  # fmt: skip
    return xlsx_bytes(rows, str(SHEET))


@dataclass
class Reading:
    values: list = field(default_factory=list)  # dicts ready for IndicatorValue(**…)
    problems: list = field(default_factory=list)  # {"row", "column", "message"}
    rows: int = 0

    def refuse(self, row, column, message):
        self.problems.append({"row": row, "column": str(column), "message": str(message)})


def _text(cell):
    return "" if cell is None else str(cell).strip()


def _date(cell):
    if isinstance(cell, datetime.datetime):
        return cell.date()
    if isinstance(cell, datetime.date):
        return cell
    text = _text(cell)
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def read(content, project, progress=lambda n, total: None):
    """Every row of the sheet checked; nothing is written."""
    indicators = {i.code: i for i in reads.project_indicators(project)}
    labels = dict(COLUMNS)
    reading = Reading()
    try:
        sheet = load_workbook(BytesIO(content), read_only=True, data_only=True).worksheets[0]
    except Exception:  # noqa: BLE001 — any unreadable file gets the same French answer.
        reading.refuse(1, "", _("Ce fichier n'est pas un classeur XLSX lisible."))
        return reading
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    for number, cells in enumerate(rows, start=2):
        padded = (*cells, *[None] * len(COLUMNS))[: len(COLUMNS)]
        cells = dict(zip((name for name, _l in COLUMNS), padded, strict=True))
        if not any(_text(cells[name]) for name in ("kind", "value", "date", "year")):
            continue  # a template row left empty
        reading.rows += 1
        _check_row(reading, number, cells, indicators, labels)
        progress(number, len(rows))
    return reading


def _check_row(reading, number, cells, indicators, labels):
    before = len(reading.problems)
    indicator = indicators.get(_text(cells["code"]))
    if indicator is None:
        reading.refuse(number, labels["code"], _("Indicateur inconnu : « %(code)s ».") % {
            "code": _text(cells["code"])})  # fmt: skip
        return
    unit = _text(cells["unit"])
    if unit and unit != indicator.unit:
        reading.refuse(number, labels["unit"], _(
            "Unité « %(given)s » : cet indicateur se mesure en %(unit)s."
        ) % {"given": unit, "unit": indicator.unit})  # fmt: skip
    kind = _choices(IndicatorValue.Kind.choices).get(_text(cells["kind"]).lower())
    if kind is None:
        kinds = ", ".join(str(label) for _v, label in IndicatorValue.Kind.choices)
        reading.refuse(number, labels["kind"], _("Nature attendue : %(kinds)s.") % {"kinds": kinds})
    value = None
    try:
        value = services.check_value(indicator, cells["value"] if cells["value"] is not None
                                     else "")  # fmt: skip
    except ValidationError as error:
        reading.refuse(number, labels["value"], " ".join(error.messages))
    when = {}
    if kind == IndicatorValue.Kind.TARGET:
        try:
            when["year"] = int(cells["year"])
            if not 2000 <= when["year"] <= 2100:
                raise ValueError
        except (TypeError, ValueError):
            reading.refuse(number, labels["year"], _("Année cible attendue, par exemple 2030."))
    elif kind is not None:
        try:
            when["date"] = _date(cells["date"])
            if when["date"] > datetime.date.today():
                reading.refuse(
                    number, labels["date"], _("Une mesure ne peut pas être datée dans le futur.")
                )
        except ValueError:
            reading.refuse(number, labels["date"], _("Date attendue au format jj/mm/aaaa."))
    if len(reading.problems) == before:
        reading.values.append({
            "indicator": indicator, "kind": kind, "value": value, **when,
            "quality": _choices(IndicatorValue.Quality.choices).get(
                _text(cells["quality"]).lower(), IndicatorValue.Quality.MEASURED),
            "visibility": _choices(IndicatorValue.Visibility.choices).get(
                _text(cells["visibility"]).lower(), IndicatorValue.Visibility.PUBLIC),
            "source": _text(cells["source"])[:300], "method": _text(cells["method"])[:500],
            "comment": _text(cells["comment"])[:2000],
        })  # fmt: skip


@transaction.atomic
def import_values(actor, project, reading):
    """All the rows, or none when any was refused. Returns the number imported."""
    if not permissions.can_record(actor, project):
        raise ValidationError(_("Seuls les porteurs du projet saisissent ses indicateurs."))
    if reading.problems or not reading.values:
        return 0
    IndicatorValue.objects.bulk_create(
        IndicatorValue(project=project, created_by=actor, **values) for values in reading.values
    )
    bump(GENERATION)  # a bulk write sends no signal
    record(
        actor, "indicator.values_imported",
        _("Indicateurs importés : %(count)d valeurs") % {"count": len(reading.values)},
        targets=[project], changes={"rows": len(reading.values)},
    )  # fmt: skip
    return len(reading.values)
