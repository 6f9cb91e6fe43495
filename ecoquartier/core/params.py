"""Raw request parameters read by views outside a form (`?territory=`, a posted id).

`str.isdigit()` accepts "²" and "٣", and `int()` accepts "٣" and numbers no column can hold:
both ended in 500s. An id is ASCII digits within a 64-bit signed integer, or nothing.
"""

import re

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
