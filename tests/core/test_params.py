"""Raw ids from a URL or a form: ASCII digits within 64 bits, or nothing (never a 500)."""

import pytest

from ecoquartier.core.params import MAX_ID, parse_id, parse_ids


@pytest.mark.parametrize("raw", ["1", "42", str(MAX_ID)])
def test_ascii_digits_within_64_bits_are_an_id(raw):
    assert parse_id(raw) == int(raw)


@pytest.mark.parametrize(
    "raw",
    ["²", "٣", "1²", str(10**26), str(MAX_ID + 1), "0", "-1", "1e3", " 1", "1\x00", "", None, []],
)
def test_anything_else_is_no_id(raw):
    assert parse_id(raw) is None


def test_parse_ids_keeps_the_valid_ones_in_order_once():
    assert parse_ids(["3", "²", "1", "3", str(10**26)]) == [3, 1]


def test_a_raw_text_with_a_nul_byte_is_a_bad_request():
    from django.core.exceptions import BadRequest

    from ecoquartier.core.params import raw_text

    assert raw_text({"reason": "Périmé"}, "reason") == "Périmé"
    assert raw_text({}, "reason") == ""
    with pytest.raises(BadRequest):
        raw_text({"reason": "a\x00b"}, "reason")
