"""What visitors see of the aid finder and the call pages, cached by data generation and time.

`core.visitors` caches what a public page shows to visitors (not logged in) under the current
generations of the data it reads (ADR 17). Calls also change with time alone: a call opens,
closes soon, closes and is archived, its steps pass, with no write to move a generation. So the
key here also holds `models.next_change`: the first instant at which what a page shows may
change with time. Until then the cached content is exactly what a fresh computation would show;
after it, the key moves and the next visitor computes again. That instant is itself cached per
calls generation and looked up again once passed (one query, rarely), from the generation
counters `core.visitors` reads anyway.

The finder is shared further: a logged-in user sees the visitors' filters and results plus, for
the organisation they act for, an eligibility verdict on each call. Those verdicts read the
organisation and its territory (in the organisations and territories generations) and nothing
else about the user, so the finder is cached per organisation too (`shared(..., viewer=pk)`).
The call page shows the user's own projects and rights: computed for each logged-in user.
"""

from django.core.cache import cache

from ecoquartier.calls.models import GENERATION, instant, next_change
from ecoquartier.core import visitors
from ecoquartier.core.generations import current

# What the finder and the call pages show: calls and programmes, the territories of perimeters
# and searches, the organisations running the programmes, the themes (projects' taxonomy).
DATA = (GENERATION, "territories", "organisations", "projects")
# The next change is looked up again once passed; the timeout only frees memory.
NEXT_CHANGE_SECONDS = 24 * 3600


def for_visitors(request, page, compute, now):
    """`compute(now)` for a logged-in user; for a visitor, its cached result, valid at `now`."""
    if request.user.is_authenticated:
        return compute(now)
    return shared(request, page, compute, now)


def shared(request, page, compute, now, viewer=None, versioned=False):
    """The cached result of `compute(now)`, valid at `now`, for everyone who sees `page` alike:
    visitors (`viewer` None) or users seeing it for the same `viewer` (core.visitors.shared).
    `versioned`: call `compute(now, version)` instead, `version` a short string naming what the
    key holds (the generations of DATA and the next change), under which parts of the page that
    other pages share may be cached (the finder's cards, calls/cards.py)."""
    seen = {}

    def extra_key(counters):
        until = valid_until(now, counters[GENERATION])
        stamp = "-" if until is None else f"{until.timestamp():.6f}"
        seen["version"] = ".".join([*(str(counters[name]) for name in DATA), stamp])
        return until

    return visitors.shared(
        request,
        page,
        DATA,
        (lambda: compute(now, seen["version"])) if versioned else (lambda: compute(now)),
        extra_key=extra_key,
        viewer=viewer,
    )


def valid_until(now, generation=None):
    """The first instant at or after `now` when what the pages show may change with time (None
    when nothing is due), for the calls data of `generation` (the current one by default)."""
    now = instant(now)
    if generation is None:
        (generation,) = current(GENERATION)
    key = f"calls:next-change:{generation}"
    known = cache.get(key)
    if known is not None:
        since, until = known
        if since <= now and (until is None or now <= until):
            return until
    until = next_change(now)
    cache.set(key, (now, until), NEXT_CHANGE_SECONDS)
    return until
