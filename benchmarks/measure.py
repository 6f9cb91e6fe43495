"""Benchmark worker: `python -m benchmarks.measure DATASET --rounds N --out FILE`.

Builds the dataset if needed, then requests every scenario through the full Django stack and
writes {scenario: {url, status, queries, sql_ms, median_ms}} as JSON. Run by benchmarks.run, one
process per dataset, because each dataset lives in its own database.

`queries` is the number of SQL statements of one request, `sql_ms` the median over PROBES
requests of the sum of their statements' durations (timed around the database driver by a
connection execute wrapper): what the database costs a page, apart from Python and templates.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time

WARMUP = 3
PROBES = 5


def main(argv=None):
    args = _parse(argv)
    os.environ["BENCH_DATASET"] = args.dataset
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
    import django

    django.setup()
    from benchmarks import datasets
    from benchmarks.scenarios import SCENARIOS

    started = time.monotonic()
    datasets.ensure(datasets.DATASETS[args.dataset], log=_log)
    result = {
        "dataset": _describe(args.dataset, time.monotonic() - started),
        "scenarios": measure(SCENARIOS, args.rounds),
    }
    with open(args.out, "w", encoding="utf-8") as out:
        json.dump(result, out, indent=2)


def _parse(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("dataset", choices=["small", "large"])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--out", required=True)
    return parser.parse_args(argv)


def _log(message):
    print(message, file=sys.stderr, flush=True)


def _describe(name, build_seconds):
    from django.db import connection

    from ecoquartier.projects.models import Project
    from ecoquartier.territories.models import Territory

    return {
        "name": name,
        "engine": connection.vendor,
        "database": str(connection.settings_dict["NAME"]),
        "communes": Territory.objects.communes().count(),
        "projects": Project.objects.count(),
        "prepare_seconds": round(build_seconds, 1),
    }


def measure(scenarios, rounds):
    """Probe each scenario (status, query count, SQL time), then time `rounds` interleaved
    passes."""
    clients = _clients()
    probes = {s.name: _probe(s, clients[s.user]) for s in scenarios}
    timed = [s for s in scenarios if probes[s.name]["status"] == 200]
    samples = {s.name: [] for s in timed}
    # Cold scenarios empty the cache: they run in a pass of their own, after the others.
    warm = [s for s in timed if not getattr(s, "cold", False)]
    cold = [s for s in timed if getattr(s, "cold", False)]
    for group in (warm, cold):
        _time(group, rounds, clients, probes, samples)
    for name, values in samples.items():
        if values:
            probes[name]["median_ms"] = round(statistics.median(values) * 1000, 2)
    return probes


def _time(scenarios, rounds, clients, probes, samples):
    order = random.Random(0)
    # Interleaving spreads the noise of a shared machine evenly over every scenario.
    for _ in range(rounds):
        order.shuffle(scenarios)
        for scenario in scenarios:
            url = _url(scenario, probes[scenario.name]["url"])
            if getattr(scenario, "cold", False):
                _empty_cache()
            started = time.perf_counter()
            _get(clients[scenario.user], url)
            samples[scenario.name].append(time.perf_counter() - started)


def _url(scenario, url):
    """The URL of the next request: the same each time, or a new one (`Scenario.fresh`)."""
    fresh = getattr(scenario, "fresh", None)
    return fresh() if fresh else url


def _clients():
    from django.contrib.auth import get_user_model
    from django.test import Client

    from benchmarks.sample import BENCH_USERS

    # A failing page is reported as its HTTP status (500) in the table; its traceback is logged.
    clients = {None: Client(raise_request_exception=False)}
    for role, email in BENCH_USERS.items():
        client = Client(raise_request_exception=False)
        user = get_user_model().objects.get(email=email)
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        clients[role] = client
    return clients


def _empty_cache():
    from django.core.cache import cache

    cache.clear()


def _get(client, url):
    response = client.get(url)
    if response.streaming:
        b"".join(response.streaming_content)
    return response


class SqlTimer:
    """A connection execute wrapper: the number of statements and the sum of their durations."""

    def __init__(self):
        self.queries = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.queries += 1


def _probe(scenario, client):
    """Warm the caches, then count the queries of one request and time its SQL (median over
    PROBES requests); a `fresh` scenario's count is the largest, its last probe made with an
    empty cache."""
    from django.db import connection

    try:
        url = scenario.resolve_url()
    except Exception as error:  # Reported in the table rather than aborting the whole bench.
        return {"url": None, "status": f"{type(error).__name__}: {error}", "queries": None}
    for _ in range(WARMUP):
        _get(client, _url(scenario, url))
    timers = []
    for _ in range(PROBES):
        if getattr(scenario, "cold", False):
            _empty_cache()
        timer = SqlTimer()
        with connection.execute_wrapper(timer):
            response = _get(client, _url(scenario, url))
        timers.append(timer)
    queries = max(timer.queries for timer in timers)
    if getattr(scenario, "fresh", None):
        # A new URL may still reuse what other pages cached (the finder's cards): its query
        # count is bounded by a request with nothing cached, counted on every dataset alike.
        _empty_cache()
        timer = SqlTimer()
        with connection.execute_wrapper(timer):
            _get(client, _url(scenario, url))
        queries = max(queries, timer.queries)
    return {
        "url": url,
        "status": response.status_code,
        "queries": queries,
        "sql_ms": round(statistics.median(timer.seconds for timer in timers) * 1000, 2),
    }


if __name__ == "__main__":
    main()
