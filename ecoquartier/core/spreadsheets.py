"""Cells for every CSV and XLSX the platform writes.

A text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is read as a formula
by spreadsheet software (CSV injection: `=HYPERLINK("http://…")` in an answer becomes a live link
in the instructor's spreadsheet). Following OWASP's guidance such a cell is prefixed with a single
quote, which shows it as text. Numbers stay numbers, including numbers written as text ("-12,5").
"""

import re
from datetime import date, datetime, time
from decimal import Decimal

# The ASCII characters OWASP lists, and their full-width forms, which some software folds.
FORMULA_STARTS = frozenset("=+-@\t\r＝＋－＠")
_PLAIN = (bool, int, float, Decimal, date, datetime, time)
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
