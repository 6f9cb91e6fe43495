"""Every CSV and XLSX cell is inert: text a spreadsheet would run as a formula starts with a
quote (OWASP CSV injection), numbers stay numbers."""

from datetime import date
from decimal import Decimal

import pytest

from ecoquartier.core.spreadsheets import neutralise


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
