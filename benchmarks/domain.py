"""The standalone runner the domain benches share (`python -m benchmarks.calls`, …), and the
table every module prints.

Each domain module measures its pages on its own dataset step: a worker process per dataset
(small: query counts and SQL time only; large: timed too), then the module's report compares
them, with the same rules as `benchmarks.run` (queries must not grow with the data; median ≤
target × the bare view of the same user).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path


def main(module, description, worker, report, argv=None, env=None):
    """Parse `--rounds` / `--worker DATASET ROUNDS OUT`; as the worker, call
    `worker(dataset, rounds)` and write what it returns; otherwise run one worker per dataset
    (with `env` added to the environment) and return `report(results)`."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--worker", nargs=3, metavar=("DATASET", "ROUNDS", "OUT"))
    args = parser.parse_args(argv)
    if args.worker:
        dataset, rounds, out = args.worker
        result = worker(dataset, int(rounds))
        Path(out).write_text(json.dumps(result), encoding="utf-8")
        return 0
    environment = {**os.environ, **(env or {})}
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for dataset, rounds in (("small", 0), ("large", args.rounds)):
            out = Path(tmp) / f"{dataset}.json"
            command = [sys.executable, "-m", module, "--worker", dataset, str(rounds), str(out)]
            subprocess.run(command, check=True, env=environment)
            results[dataset] = json.loads(out.read_text(encoding="utf-8"))
    return report(results)


def own_database(name):
    """The environment of a module measured on its own SQLite database (.bench/<name>.sqlite3,
    a copy of the foundation's is a fine start), so that the main bench's stays as `make bench`
    built it — unless BENCH_DATABASE_URL says where."""
    database = f"sqlite:///{Path.cwd() / '.bench' / f'{name}.sqlite3'}"
    return {} if "BENCH_DATABASE_URL" in os.environ else {"BENCH_DATABASE_URL": database}


def report(results, chosen, title, sizes):
    """Print a module's table (small dataset against large), return the exit status."""
    rows = compare(results["small"]["scenarios"], results["large"]["scenarios"], chosen)
    return 1 if print_table(title, rows, sizes) else 0


def setup(dataset, steps):
    """In a worker: Django on the bench settings for `dataset`, with the steps `steps()` returns
    (called once Django is set up) added to the dataset's, built if missing."""
    os.environ["BENCH_DATASET"] = dataset
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
    import django

    django.setup()
    from benchmarks import datasets

    known = {step.name for step in datasets.STEPS}
    datasets.STEPS.extend(step for step in steps() if step.name not in known)
    datasets.ensure(datasets.DATASETS[dataset], log=lambda m: print(m, file=sys.stderr))


# --- The table ---------------------------------------------------------------------------------


def baseline_name(user):
    return "bare DSFR view" if user is None else f"bare DSFR view ({user})"


def compare(small, large, scenarios):
    """One row per scenario measured: timing and ratio on the large dataset, query counts and
    SQL time on both. Fails a row that does not answer 200, whose queries grow with the data,
    or that is slower than its target × the bare view of the same user."""
    rows = []
    for scenario in scenarios:
        if scenario.name not in large:
            continue
        big, little = large[scenario.name], small[scenario.name]
        base = large.get(baseline_name(scenario.user), {})
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
                "queries": (little["queries"], big["queries"]),
                "sql_ms": (little.get("sql_ms"), big.get("sql_ms")),
                "ok": not problems,
                "result": "; ".join(problems) or "pass",
            }
        )
    return rows


def _ratio(value, base):
    return round(value / base, 2) if value is not None and base else None


def print_table(title, rows, sizes):
    """Print `title`, the rows and their URLs; `sizes` names the small and the large dataset
    (e.g. "3/50000 projects"). Returns the number of failed rows."""
    print(f"\n{title}")
    header = ("Scenario", "Median ms", "× bare", "Target", f"Queries {sizes}",
              f"SQL ms {sizes}", "Result")  # fmt: skip
    lines = [header] + [
        (
            row["name"],
            _fmt(row["median_ms"], ".1f"),
            _fmt(row["ratio"], ".2f"),
            _target(row),
            "{} → {}".format(*(_fmt(q, "d") for q in row["queries"])),
            "{} → {}".format(*(_fmt(t, ".1f") for t in row["sql_ms"])),
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
    print(f"bench: {len(rows) - failed} passed, {failed} failed")
    return failed


def _target(row):
    if row["target"] is not None:
        return f"≤ {row['target']:g}"
    return "baseline" if row["baseline"] else "-"


def _fmt(value, spec):
    return "-" if value is None else format(value, spec)


def reference(scenario):
    """`scenario` reported beside a module's rows as a yardstick, without a target (it has its
    row, with its target, in benchmarks.run)."""
    from dataclasses import replace

    return replace(scenario, target=None)
