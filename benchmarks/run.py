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
    """One row per scenario: timing and ratio on the large dataset, query counts on both."""
    from benchmarks.scenarios import SCENARIOS, baseline_for

    rows = []
    for scenario in SCENARIOS:
        big, little = large[scenario.name], small[scenario.name]
        base = large[baseline_for(scenario).name]
        ratio = _ratio(big.get("median_ms"), base.get("median_ms"))
        problems = []
        if big["status"] != 200 or little["status"] != 200:
            status = big["status"] if big["status"] != 200 else little["status"]
            problems.append(f"HTTP {status}" if isinstance(status, int) else str(status))
        elif big["queries"] > little["queries"]:
            problems.append("queries grow with data")
        if scenario.target is not None and not problems:
            if ratio is None:
                problems.append("no baseline timing")
            elif ratio > scenario.target:
                problems.append(f"slower than {scenario.target:g}× bare")
        rows.append(
            {
                "name": scenario.name,
                "url": big["url"] or "-",
                "median_ms": big.get("median_ms"),
                "ratio": ratio,
                "target": scenario.target,
                "baseline": scenario.is_baseline,
                "queries": (big["queries"], little["queries"]),
                "ok": not problems,
                "result": "; ".join(problems) or "pass",
            }
        )
    return rows


def _ratio(value, base):
    return round(value / base, 2) if value is not None and base else None


def _print_report(results, rows, rounds):
    large, small = results[LARGE]["dataset"], results[SMALL]["dataset"]
    print()
    print(
        f"Benchmark on {large['engine']} ({large['database']}): {large['communes']} communes, "
        f"{large['projects']} projects; small dataset: {small['projects']} projects. "
        f"Median of {rounds} requests through the full Django stack."
    )
    header = ("Scenario", "Median ms", "× bare", "Target", f"Queries {large['projects']}/"
              f"{small['projects']}", "Result")  # fmt: skip
    lines = [header] + [
        (
            row["name"],
            _fmt(row["median_ms"], ".1f"),
            _fmt(row["ratio"], ".2f"),
            _target(row),
            "{} / {}".format(*(_fmt(q, "d") for q in row["queries"])),
            "PASS" if row["ok"] else f"FAIL ({row['result']})",
        )
        for row in rows
    ]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for i, line in enumerate(lines):
        print("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)))
        if i == 0:
            print("  ".join("-" * width for width in widths))
    for row in rows:
        print(f"  {row['name']}: {row['url']}")
    failed = sum(not row["ok"] for row in rows)
    print(f"\nbench: {len(rows) - failed} passed, {failed} failed")


def _target(row):
    if row["target"] is not None:
        return f"≤ {row['target']:g}"
    return "baseline" if row["baseline"] else "-"


def _fmt(value, spec):
    return "-" if value is None else format(value, spec)


if __name__ == "__main__":
    sys.exit(main())
