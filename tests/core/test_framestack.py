"""Room on the frame stack (core.framestack, ADR 28): a request's frames stay in one chunk of
CPython's frame stack, whatever depth it starts at, instead of mapping and unmapping a chunk each
time its calls cross an edge."""

import resource
import sys

from django.conf import settings
from django.test import RequestFactory

from ecoquartier.core.framestack import FrameRoomMiddleware, call_with_room

CHUNK_FRAMES = 160  # more than the frames of dive() that one 16 KiB chunk holds
DIVES = 300


def dive(depth):
    return dive(depth - 1) if depth else 0


def _dives():
    """Go 60 frames deep and back, DIVES times: a template's nesting, reduced to its calls."""
    for _ in range(DIVES):
        dive(60)


def _at_depth(depth, function):
    return _at_depth(depth - 1, function) if depth else function()


def _faults(run):
    """The most page faults `run` costs over every starting depth within one chunk."""
    worst = 0
    for depth in range(0, CHUNK_FRAMES, 4):
        before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        _at_depth(depth, run)
        worst = max(worst, resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
    return worst


def test_without_room_some_starting_depth_maps_a_chunk_at_each_dive():
    # The premise: in this interpreter, calls that cross a chunk's edge fault at every crossing.
    assert _faults(_dives) >= DIVES


def test_with_room_no_starting_depth_pays_for_crossings():
    assert _faults(lambda: call_with_room(_dives)) < DIVES // 10


def test_call_with_room_returns_the_result_and_raises_the_error():
    assert call_with_room(lambda a, b: a + b, 2, 5) == 7
    try:
        call_with_room(int, "pas un nombre")
    except ValueError as error:
        assert "pas un nombre" in str(error)
    else:
        raise AssertionError("the ValueError was swallowed")


def test_the_middleware_runs_the_whole_request_inside_the_room():
    assert settings.MIDDLEWARE[0] == "ecoquartier.core.framestack.FrameRoomMiddleware"
    callers = []

    def get_response(request):
        callers.append(sys._getframe(1).f_code)
        return "réponse"

    middleware = FrameRoomMiddleware(get_response)
    assert middleware(RequestFactory().get("/")) == "réponse"
    assert callers == [call_with_room.__code__]
