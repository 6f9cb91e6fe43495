"""Settings for the benchmark workers: the real settings, a separate database, one extra URL.

`BENCH_DATASET` (small or large) picks the database: `.bench/bench[-small].sqlite3` by default, or
`BENCH_DATABASE_URL` (and the same name suffixed `_small`) when set. `BENCH_SCALE` (1 by default,
or 10) multiplies the large dataset; a scaled large dataset has a database of its own
(`bench-x10.sqlite3`, `<name>_x10`) so that every scale is built once and kept. The small dataset
is the same at every scale.
"""

import os

import environ

from benchmarks.sample import scale
from config import settings as base
from config.settings import *  # noqa: F403

DATASET = os.environ.get("BENCH_DATASET", "large")
SCALE = scale()
BENCH_DIR = base.BASE_DIR / ".bench"


def scaled_name(name, dataset=DATASET, factor=SCALE):
    """The database name of `dataset` at `factor`, from the 1× large one: `x.sqlite3` →
    `x-small.sqlite3` / `x-x10.sqlite3` for a file, `x` → `x_small` / `x_x10` for a server."""
    tag = dataset if dataset != "large" else (f"x{factor}" if factor != 1 else "")
    if not tag:
        return name
    stem, dot, extension = name.rpartition(".")
    if name.endswith(".sqlite3") and dot:
        return f"{stem}-{tag}.{extension}"
    return f"{name}_{tag}"


def _bench_database():
    url = base.env.str("BENCH_DATABASE_URL", default="")
    if not url:
        return {
            **base.DATABASES["default"],
            "NAME": scaled_name(str(BENCH_DIR / "bench.sqlite3")),
            "TEST": {},
        }
    config = environ.Env.db_url_config(url)
    config["NAME"] = scaled_name(config["NAME"])
    return config


DATABASES = {"default": _bench_database()}
# Production keeps connections open between requests (CONN_MAX_AGE); do the same here so that
# the timings measure queries, not reconnections.
DATABASES["default"]["CONN_MAX_AGE"] = None
ROOT_URLCONF = "benchmarks.urls"
DEBUG = False
