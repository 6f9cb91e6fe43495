"""Raw request parameters read by views outside a form (`?territory=`, a posted id or motive).

`str.isdigit()` accepts "²" and "٣", and `int()` accepts "٣" and numbers no column can hold:
both ended in 500s. An id is ASCII digits within a 64-bit signed integer, or nothing.
"""

import re

from django.core.exceptions import BadRequest

# The largest value of a BigAutoField (PostgreSQL bigint, SQLite INTEGER).
MAX_ID = 2**63 - 1
_DIGITS = re.compile(r"[0-9]{1,19}")


def parse_id(value):
    """The positive integer `value` spells in ASCII digits (at most 2**63 - 1), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 < value <= MAX_ID else None
    if not isinstance(value, str) or not _DIGITS.fullmatch(value):
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


def parse_ids(values):
    """The valid ids among `values` (a list of raw strings), in order, without duplicates."""
    ids = []
    for value in values:
        number = parse_id(value)
        if number is not None and number not in ids:
            ids.append(number)
    return ids


def raw_text(params, name, default=""):
    """A text parameter read outside a form (a motive posted with an action button). A NUL
    byte, which no person types and PostgreSQL refuses to store, makes a malformed request:
    the French 400 page, not a 500."""
    value = params.get(name, default)
    if "\x00" in value:
        raise BadRequest("NUL byte in a parameter")
    return value
