"""The standalone runner the domain benches share (`python -m benchmarks.calls`, …).

Each domain module measures its pages on its own dataset step: a worker process per dataset
(small: query counts only; large: timed), then the module's report compares them, with the same
rules as `benchmarks.run` (queries must not grow with the data; median ≤ target × the bare view).
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
