"""Every CSV and XLSX cell is inert: text a spreadsheet would run as a formula starts with a
quote (OWASP CSV injection), numbers stay numbers."""

import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from ecoquartier.core.spreadsheets import csv_row, neutralise, xlsx_bytes


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://x","y")',
        "+33 1 23",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(1+1)",
        "\t=1+1",
        "\r=1+1",
        "＝1+1",
    ],
)
def test_text_that_would_run_as_a_formula_is_prefixed_with_a_quote(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", [12, -3, 2.5, Decimal("-12.50"), True, None, date(2026, 1, 2)])
def test_numbers_dates_and_empty_cells_are_unchanged(value):
    assert neutralise(value) == value and type(neutralise(value)) is type(value)


@pytest.mark.parametrize("text", ["-12", "+3", "-12,5", "-1.5e3", "Reillanne", "", "a=b"])
def test_numbers_written_as_text_and_plain_text_are_unchanged(text):
    assert neutralise(text) == text


# --- XLSX: typed cells, frozen header, filters ---------------------------------------------------


def _sheet(rows):
    return load_workbook(io.BytesIO(xlsx_bytes(rows, "Essai"))).active


def test_xlsx_numbers_are_numbers_and_dates_are_dates_in_paris_time():
    when = datetime(2026, 7, 1, 22, 30, tzinfo=UTC)  # 2 July, 00:30 in Paris (summer time)
    sheet = _sheet([["n", "d", "quand", "oui"], [12, Decimal("2.5"), when, True]])
    number, decimal, moment, yes = sheet[2]
    assert (number.data_type, number.value) == ("n", 12)
    assert (decimal.data_type, decimal.value) == ("n", 2.5)
    assert moment.data_type == "d" and moment.value == datetime(2026, 7, 2, 0, 30)
    assert moment.number_format == "DD/MM/YYYY HH:MM"
    assert (yes.data_type, yes.value) == ("b", True)


def test_xlsx_plain_dates_show_as_french_dates():
    (cell,) = _sheet([["échéance"], [date(2026, 1, 2)]])[2]
    assert cell.data_type == "d" and cell.number_format == "DD/MM/YYYY"


def test_xlsx_header_is_bold_frozen_and_filtered():
    sheet = _sheet([["a", "b", "c"], [1, 2, 3], [4, 5, 6]])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:C3"
    assert all(cell.font.bold for cell in sheet[1])


def test_xlsx_text_stays_neutralised_while_numbers_stay_numbers():
    sheet = _sheet([["=titre", "x", "y"], ['=HYPERLINK("http://x")', -3, "-12,5"]])
    formula, negative, written = sheet[2]
    assert sheet["A1"].value == "'=titre"
    assert formula.value == '\'=HYPERLINK("http://x")' and formula.data_type == "s"
    assert (negative.data_type, negative.value) == ("n", -3)
    assert written.value == "-12,5"  # typed as text by a person: shown as typed, inert
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_csv_cells_give_french_dates_in_paris_time():
    when = datetime(2026, 1, 15, 9, 5, tzinfo=UTC)
    row = csv_row([when, date(2026, 1, 2), "=1", 3])
    assert row == ["15/01/2026 10:05", "02/01/2026", "'=1", 3]
