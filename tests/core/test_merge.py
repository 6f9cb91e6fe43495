"""Field-level merge: what a save writes of the values it sends, given what its form showed."""

from ecoquartier.core.merge import dump_base, fingerprint, fingerprints, merge, parse_base


def base_of(values, keys=("a", "b", "c")):
    return fingerprints(values, keys)


def test_every_empty_value_has_the_same_fingerprint():
    assert len({fingerprint(None), fingerprint(""), fingerprint([])}) == 1
    assert fingerprint("x") != fingerprint("")
    assert fingerprint(["a", "b"]) != fingerprint(["b", "a"])


def test_only_what_the_sender_changed_is_written():
    seen = {"a": "1", "b": "2", "c": "3"}
    result = merge(seen, {"a": "1", "b": "deux", "c": "3"}, base_of(seen))
    assert result.changes == {"b": "deux"} and result.conflicts == {}


def test_edits_of_different_fields_both_survive():
    seen = {"a": "1", "b": "2"}
    stored = {"a": "un", "b": "2"}  # another tab changed a meanwhile
    result = merge(stored, {"a": "1", "b": "deux"}, base_of(seen))
    assert result.changes == {"b": "deux"} and result.conflicts == {}


def test_edits_of_the_same_field_are_a_conflict_that_keeps_the_stored_value():
    seen = {"a": "1"}
    stored = {"a": "un"}
    result = merge(stored, {"a": "one"}, base_of(seen))
    assert result.changes == {} and result.conflicts == {"a": ("un", "one")}


def test_the_same_change_made_twice_is_no_conflict():
    result = merge({"a": "un"}, {"a": "un"}, base_of({"a": "1"}))
    assert result.changes == {} and result.conflicts == {}


def test_fields_outside_the_base_are_never_touched():
    stored = {"a": "1", "b": "2"}
    result = merge(stored, {"a": "", "b": "x"}, {"b": fingerprint("2")})
    assert result.changes == {"b": "x"}


def test_without_a_base_each_value_sent_is_written():
    result = merge({"a": "1", "b": "2"}, {"a": "3"})
    assert result.changes == {"a": "3"}


def test_a_malformed_base_is_empty_and_writes_nothing():
    for raw in ["{", "[1]", '{"a": 3}', "x" * 200_000]:
        base = parse_base(raw)
        assert merge({"a": "1"}, {"a": "2"}, base).changes == {}
    assert parse_base(None) is None
    assert parse_base(dump_base({"a": "ff"})) == {"a": "ff"}
