"""The bench's stack alignments (benchmarks/measure.py): each round of requests starts at another
call depth, spread evenly over one chunk of CPython's frame stack."""

import sys

from benchmarks.measure import CHUNK_FRAMES, alignment, nested


def _depth():
    frame, depth = sys._getframe(1), 0
    while frame is not None:
        frame, depth = frame.f_back, depth + 1
    return depth


def test_nested_calls_the_function_that_many_frames_deeper_and_returns_its_result():
    base = nested(0, _depth)
    assert (nested(1, _depth), nested(7, _depth), nested(125, _depth)) == (
        base + 1,
        base + 7,
        base + 125,
    )
    assert nested(3, lambda a, b: a + b, 2, 5) == 7


def test_thirty_rounds_cover_one_chunk_evenly_once():
    depths = [alignment(r, 30) for r in range(30)]
    assert depths[0] == 0 and max(depths) < CHUNK_FRAMES
    assert len(set(depths)) == 30 and depths == sorted(depths)
    steps = {b - a for a, b in zip(depths, depths[1:], strict=False)}
    assert steps <= {CHUNK_FRAMES // 30, CHUNK_FRAMES // 30 + 1}


def test_a_single_round_runs_at_the_callers_own_depth():
    assert alignment(0, 1) == 0 and alignment(0, 0) == 0
