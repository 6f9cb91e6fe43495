"""Gap list exports. CSV uses ';' and a BOM so French spreadsheet software opens it as is."""

from django.utils.translation import gettext as _

from ecoquartier.core.spreadsheets import csv_bytes, xlsx_bytes


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
    return csv_bytes([columns, *rows])


def to_xlsx(columns, rows, title):
    return xlsx_bytes([columns, *rows], title)
