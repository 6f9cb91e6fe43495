"""Dates written the French way: « 1er janvier 2027 », whatever the format used.

Django's French formats write the first day of a month as « 1 janvier »; every date shown by the
platform goes through `date_format` here (Python) or the `date` filter (core.templatetags.dates,
a template builtin replacing Django's own), which write « 1er »."""

from django.utils import formats
from django.utils.formats import get_format


def french_format(value, format_name=None):
    """The format (a setting name such as "DATE_FORMAT", or a format string), with « er »
    after the day number (`j`) when the date is the first of a month."""
    fmt = get_format(format_name or "DATE_FORMAT")
    if getattr(value, "day", None) != 1:
        return fmt
    out, escaped = [], False
    for char in fmt:
        out.append(char)
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "j":
            out.append(r"\e\r")
    return "".join(out)


def date_format(value, format_name=None):
    """django.utils.formats.date_format, with « 1er »."""
    return formats.date_format(value, french_format(value, format_name))


def day(number):
    """« 1er », « 2 »…"""
    return "1er" if number == 1 else str(number)
