"""Gap list exports. CSV uses ';' and a BOM so French spreadsheet software opens it as is."""

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ecoquartier.core.spreadsheets import neutralise_row


def gap_columns():
    return [
        _("Évaluation"),
        _("Date de l'évaluation"),
        _("Engagement"),
        _("Intitulé de l'engagement"),
        _("Écart constaté"),
        _("Proposition"),
        _("Priorité"),
        _("Responsable"),
        _("Échéance"),
        _("Statut"),
    ]


def gap_rows(gaps):
    for gap in gaps:
        assessment = gap.answer.assessment
        yield [
            str(assessment),
            assessment.assessed_on,
            gap.answer.commitment.number,
            gap.answer.commitment.title,
            gap.description,
            gap.proposal,
            gap.get_priority_display(),
            gap.owner,
            gap.due_date,
            gap.get_status_display(),
        ]


def to_csv(columns, rows):
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(neutralise_row(columns))
    for row in rows:
        writer.writerow(
            [
                value.strftime("%d/%m/%Y") if hasattr(value, "strftime") else value
                for value in neutralise_row(row)
            ]
        )
    return buffer.getvalue().encode("utf-8")


def to_xlsx(columns, rows, title):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(neutralise_row(columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(neutralise_row(row))
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, min(60, len(column) + 4))
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if hasattr(cell.value, "strftime"):
                cell.number_format = "DD/MM/YYYY"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
