"""Cells for every CSV and XLSX the platform writes.

A text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is read as a formula
by spreadsheet software (CSV injection: `=HYPERLINK("http://…")` in an answer becomes a live link
in the instructor's spreadsheet). Following OWASP's guidance such a cell is prefixed with a single
quote, which shows it as text. Numbers stay numbers, including numbers written as text ("-12,5").

`xlsx_bytes` writes every XLSX export: typed cells, a frozen header row with filters.
"""

import csv
import io
import re
from datetime import date, datetime, time
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

# The ASCII characters OWASP lists, and their full-width forms, which some software folds.
FORMULA_STARTS = frozenset("=+-@\t\r＝＋－＠")
_PLAIN = (bool, int, float, Decimal, date, datetime, time)
_BOLD = Font(bold=True)
_NUMBER = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?(?:[eE][+-]?[0-9]+)?")


def neutralise(value):
    """The value to write in a cell: numbers, dates and None unchanged; text made inert."""
    if isinstance(value, str):
        text = value
    elif value is None or isinstance(value, _PLAIN):
        return value
    else:
        text = str(value)
    if text[:1] in FORMULA_STARTS and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def neutralise_row(row):
    return [neutralise(value) for value in row]


# --- Typed cells --------------------------------------------------------------------------------
# A spreadsheet sorts, sums and filters what it knows the type of: numbers go out as numbers,
# dates as dates (in Paris time, shown as French dates), booleans as booleans; only text is text.

DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
TIME_FORMAT = "HH:MM"


def local_value(value):
    """A datetime in Paris time without its zone (spreadsheets know no time zones); any other
    value neutralised."""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None)
    return neutralise(value)


def csv_value(value):
    """What a CSV cell says: French dates in Paris time, other values neutralised."""
    value = local_value(value)
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return value


def csv_row(row):
    return [csv_value(value) for value in row]


def csv_bytes(rows):
    """`rows` (the header first) as ';'-separated UTF-8 with a BOM, so that French spreadsheet
    software opens it as is; every cell through `csv_value`."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";")
    for row in rows:
        writer.writerow(csv_row(row))
    return buffer.getvalue().encode("utf-8")


def _number_format(value):
    if isinstance(value, datetime):
        return DATETIME_FORMAT
    if isinstance(value, date):
        return DATE_FORMAT
    if isinstance(value, time):
        return TIME_FORMAT
    return None


def xlsx_bytes(rows, title, on_row=None):
    """One sheet named `title`: the first row of `rows` is the header (bold, frozen, with
    filters), the others typed cells. Write-only, so that 50,000 rows keep a flat memory;
    `on_row(n)` is told of each row written."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.freeze_panes = "A2"
    width, count = 0, 0
    for n, row in enumerate(rows):
        if n == 0:
            width = len(row)
            for index, label in enumerate(row, start=1):
                sheet.column_dimensions[get_column_letter(index)].width = max(
                    12, min(60, len(str(label)) + 4)
                )
            sheet.append([_header_cell(sheet, label) for label in row])
        else:
            sheet.append([_cell(sheet, value) for value in row])
        count = n + 1
        if on_row:
            on_row(n)
    if width:
        sheet.auto_filter.ref = f"A1:{get_column_letter(width)}{max(count, 1)}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _header_cell(sheet, label):
    cell = WriteOnlyCell(sheet, value=neutralise(str(label)))
    cell.font = _BOLD
    return cell


def _cell(sheet, value):
    value = local_value(value)
    number_format = _number_format(value)
    if number_format is None:
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = number_format
    return cell
