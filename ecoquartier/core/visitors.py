"""What visitors (not logged in) see of public pages, computed once per data generation.

The public pages (project list, project page, its history…) are the same for every visitor, and
visitors are most of their audience. A view hands `for_visitors` what the page shows (rendered
HTML and the few strings its shell needs) as a function; for a visitor the result is cached under
a key made of the page, its query parameters, the language and the current generations of the
data it reads (core/generations.py), so a change anywhere in that data is visible at the next
request. Logged-in users see pages that depend on their permissions: computed every time, by the
same function, unless the page depends on who they are only through a key the view names
(`shared(..., viewer=...)`: the aid finder's organisation). Nothing personal goes in: the shell
(header, messages, CSP nonces) is rendered per request around the cached part.
"""

from django.utils.translation import get_language

from ecoquartier.core.generations import cache_key, cached, current

# Entries are never stale (the key moves with the data); the timeout only frees memory.
VISITOR_CACHE_SECONDS = 600


def for_visitors(request, page, generations, compute, extra_key=None):
    """compute() for a logged-in user; for a visitor, its cached result (picklable).

    `extra_key(counters)`, given {generation: counter}, may add to the key what else the page
    depends on (calls: the next instant their statuses change with time)."""
    if request.user.is_authenticated:
        return compute()
    return shared(request, page, generations, compute, extra_key)


def shared(request, page, generations, compute, extra_key=None, viewer=None):
    """compute()'s cached result for everyone who sees `page` alike: visitors, and logged-in
    users when what the page shows depends on who they are only through `viewer` (a picklable
    key: the aid finder's eligibility verdicts depend on the organisation it judges, and on
    nothing else about the user). `viewer=None` is the visitors' page."""
    counters = dict(zip(generations, current(*generations), strict=True))
    extra = extra_key(counters) if extra_key else None
    parts = (page, sorted(request.GET.lists()), get_language(), counters, extra, viewer)
    return cached(cache_key("visitors", *parts), compute, VISITOR_CACHE_SECONDS)
