"""Room on CPython's frame stack for a whole request (ADR 28).

CPython keeps the frames of Python calls in chunks of 16 KiB. When a call goes deeper than the
current chunk it maps a new one, and it unmaps that chunk as soon as the call that opened it
returns. A page rendered through nested templates (tags within includes within loops) goes back
and forth across a chunk's edge hundreds of times, and each crossing maps fresh memory whose pages
fault on first touch. Where the edges fall depends only on how deep the request started: the
assessment form measured 31 ms with 30 page faults at one depth and 47 ms with 1,900 at another,
in the same process, for the same bytes (docs/performance.md).

`call_with_room` calls a function from a frame that reserves `RESERVED_SLOTS` stack slots it never
touches. That frame is too large for any chunk in use, so CPython opens one of its own, sized to
hold the frame twice over; every deeper frame of the request then fits in the half left free, and
the request maps one chunk once instead of crossing edges. The reserved slots are address space,
not memory: untouched pages are never faulted in.
"""

RESERVED_SLOTS = 32 * 1024  # 256 KiB: the chunk is 512 KiB, ~2,000 frames free, twice the limit


def call_with_room(function, *args):
    """`function(*args)`, with the rest of the call stack in one chunk of its own."""
    return function(*args)


call_with_room.__code__ = call_with_room.__code__.replace(
    co_stacksize=call_with_room.__code__.co_stacksize + RESERVED_SLOTS
)


class FrameRoomMiddleware:
    """The outermost middleware: every other middleware, the view and its templates run inside
    `call_with_room`, so a request's cost does not depend on where its frames happen to start."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return call_with_room(self.get_response, request)
