"""Field-level merge of concurrent edits to a set of keyed values (a form's answers).

A form carries, for each field it shows, a fingerprint of the value it was rendered with (its
*base*). On save, a field is written only when the value sent differs from its base (this person
changed it); when the stored value also moved away from the base (someone else changed it, in
another tab or another browser) and differs from the value sent, the field is a conflict and
is not written. Fields outside the base are never touched, so two people editing different
fields both keep their edits, and a request naming one field changes one field.
"""

import hashlib
import json
from dataclasses import dataclass, field

EMPTY = (None, "", [])
MAX_BASE_LENGTH = 100_000  # a posted base larger than any form's is ignored


def fingerprint(value):
    """A short hash of a JSON value; every empty value (missing, "", [], None) is the same."""
    if value in EMPTY:
        value = ""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def fingerprints(values, keys):
    """{key: fingerprint} of `values` (a dict) for each key, present or not."""
    return {key: fingerprint(values.get(key)) for key in keys}


def dump_base(base):
    return json.dumps(base, sort_keys=True, separators=(",", ":"))


def parse_base(raw):
    """The base a form posted, or None when it posted none (a client without it); a malformed
    base is an empty one: nothing is written on its faith."""
    if raw is None:
        return None
    if len(raw) > MAX_BASE_LENGTH:
        return {}
    try:
        data = json.loads(raw)
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): v for k, v in data.items() if isinstance(v, str) and len(v) <= 64}


@dataclass
class Merge:
    changes: dict = field(default_factory=dict)  # {key: value to write}
    conflicts: dict = field(default_factory=dict)  # {key: (stored value, value sent)}


def merge(stored, sent, base=None):
    """What to write of `sent` over `stored`, given the `base` the sender saw.

    Without a base (None), every value sent is written: the caller names exactly what changes.
    """
    result = Merge()
    for key, value in sent.items():
        mine = fingerprint(value)
        theirs = fingerprint(stored.get(key))
        if base is not None:
            if key not in base or mine == base[key]:
                continue  # not shown in this form, or not changed by its sender
            if theirs != base[key] and theirs != mine:
                result.conflicts[key] = (stored.get(key), value)
                continue
        if theirs != mine:
            result.changes[key] = value
    return result
