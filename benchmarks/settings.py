"""Settings for the benchmark workers: the real settings, a separate database, one extra URL.

`BENCH_DATASET` (small or large) picks the database: `.bench/bench[-small].sqlite3` by default, or
`BENCH_DATABASE_URL` (and the same name suffixed `_small`) when set.
"""

import os

import environ

from config import settings as base
from config.settings import *  # noqa: F403

DATASET = os.environ.get("BENCH_DATASET", "large")
BENCH_DIR = base.BASE_DIR / ".bench"


def _bench_database():
    url = base.env.str("BENCH_DATABASE_URL", default="")
    if not url:
        suffix = "" if DATASET == "large" else f"-{DATASET}"
        return {
            **base.DATABASES["default"],
            "NAME": str(BENCH_DIR / f"bench{suffix}.sqlite3"),
            "TEST": {},
        }
    config = environ.Env.db_url_config(url)
    if DATASET != "large":
        config["NAME"] = f"{config['NAME']}_{DATASET}"
    return config


DATABASES = {"default": _bench_database()}
# Production keeps connections open between requests (CONN_MAX_AGE); do the same here so that
# the timings measure queries, not reconnections.
DATABASES["default"]["CONN_MAX_AGE"] = None
ROOT_URLCONF = "benchmarks.urls"
DEBUG = False
