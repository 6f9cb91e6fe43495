"""`python -m benchmarks.build`: build (or bring up to date) every bench module's datasets at
`BENCH_SCALE`, without timing anything. The 10× datasets take a long while to build: run this once
in the background (`nohup … &`), then `make bench BENCH_SCALE=10` finds them ready.

Each (module, dataset) runs in a process of its own, as the bench does, since each dataset lives
in its own database and a module adds its own steps to it.
"""

import importlib
import os
import subprocess
import sys
import time

MODULES = (
    "benchmarks.run",
    "benchmarks.assessments",
    "benchmarks.calls",
    "benchmarks.applications",
    "benchmarks.labels",
    "benchmarks.followup",
    "benchmarks.indicators",
)


def steps(module):
    """The dataset steps `module` adds to the foundation's (none for benchmarks.run)."""
    mod = importlib.import_module(module)
    if hasattr(mod, "_steps"):
        return mod._steps()
    return [mod._step()] if hasattr(mod, "_step") else []


def environment(module):
    mod = importlib.import_module(module)
    return mod.environment() if hasattr(mod, "environment") else {}


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--worker"]:
        module, dataset = argv[1:3]
        from benchmarks import domain

        domain.setup(dataset, lambda: steps(module))
        return 0
    datasets = argv or ["small", "large"]
    status = 0
    for module in MODULES:
        for dataset in datasets:
            started = time.monotonic()
            command = [sys.executable, "-m", "benchmarks.build", "--worker", module, dataset]
            env = {**os.environ, **environment(module)}
            result = subprocess.run(command, env=env, check=False)
            status |= result.returncode
            print(
                f"{module} {dataset}: {'ok' if result.returncode == 0 else 'FAILED'} "
                f"in {time.monotonic() - started:.0f} s",
                flush=True,
            )
    return status


if __name__ == "__main__":
    sys.exit(main())
