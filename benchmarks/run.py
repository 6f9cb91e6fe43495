"""`make bench`: run the worker on the small and the large dataset, then print one table.

Exit status: 0 when every row passes; 1 when a page does not answer 200, a query count grows
with the data size, or a page is slower than its target ratio to the bare view.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

SMALL, LARGE = "small", "large"


def main(argv=None):
    args = _parse(argv)
    results = {
        SMALL: _run_worker(SMALL, rounds=0),  # Query counts only.
        LARGE: _run_worker(LARGE, rounds=args.rounds),
    }
    rows = compare(results[SMALL]["scenarios"], results[LARGE]["scenarios"])
    _print_report(results, rows, args.rounds)
    return 0 if all(row["ok"] for row in rows) else 1


def _parse(argv):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--rounds", type=int, default=int(os.environ.get("BENCH_ROUNDS", 30)),
        help="timed requests per scenario on the large dataset (default 30)",
    )  # fmt: skip
    return parser.parse_args(argv)


def _run_worker(dataset, rounds):
    env = {**os.environ, "DJANGO_ENV": os.environ.get("DJANGO_ENV", "test")}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"
        command = [sys.executable, "-m", "benchmarks.measure", dataset, "--rounds", str(rounds)]
        subprocess.run([*command, "--out", str(out)], env=env, check=True)
        return json.loads(out.read_text(encoding="utf-8"))


def compare(small, large):
    from benchmarks.domain import compare
    from benchmarks.scenarios import SCENARIOS

    return compare(small, large, SCENARIOS)


def _print_report(results, rows, rounds):
    from benchmarks.domain import print_table

    large, small = results[LARGE]["dataset"], results[SMALL]["dataset"]
    print_table(
        f"Benchmark on {large['engine']} ({large['database']}): {large['communes']} communes, "
        f"{large['projects']} projects; small dataset: {small['projects']} projects. "
        f"Median of {rounds} requests through the full Django stack.",
        rows,
        f"{small['projects']}/{large['projects']}",
    )


if __name__ == "__main__":
    sys.exit(main())
