"""The benchmark datasets, built once per database as a list of steps.

A step missing from the database is built. When a step's signature changed, an idempotent step
(an import command) simply runs again; otherwise the data may no longer match the code, so the
whole database is rebuilt from scratch (rare, and always correct).
"""

import hashlib
import io
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management import call_command, get_commands
from django.db.migrations.loader import MigrationLoader

from benchmarks import database
from benchmarks.sample import scale
from benchmarks.synthetic import build_projects

DATA_DIR = Path(settings.BASE_DIR) / "data"
# Reference data other apps load with their own idempotent commands, when they exist.
REFERENCE_COMMANDS = ("load_taxonomy", "seed_state_services", "load_referentiel")
MIGRATION_PREFIX = "migration:"


@dataclass(frozen=True)
class Dataset:
    name: str
    projects: int
    scale: int = 1  # BENCH_SCALE for the large dataset; the small one is the same at every scale

    def size(self, small, large):
        """A domain's size on this dataset: `small`, or `large` (its 1× size) × the scale."""
        return small if self.name == "small" else large * self.scale


DATASETS = {
    "small": Dataset("small", projects=3),
    "large": Dataset("large", projects=5000 * scale(), scale=scale()),
}


@dataclass(frozen=True)
class Step:
    name: str
    signature: Callable[[Dataset], str]
    build: Callable[[Dataset], object]
    idempotent: bool = False


def _files_digest(*paths):
    digest = hashlib.sha256()
    for path in sorted(p for root in paths for p in Path(root).rglob("*") if p.is_file()):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def _import_territories(dataset):
    call_command("import_territories", verbosity=0)


def _reference_commands():
    return [name for name in REFERENCE_COMMANDS if name in get_commands()]


def _load_reference_data(dataset):
    for name in _reference_commands():
        call_command(name, verbosity=0, stdout=io.StringIO())


STEPS = [
    Step(
        "territories",
        lambda ds: _files_digest(DATA_DIR / "territories"),
        _import_territories,
        idempotent=True,
    ),
    Step(
        "reference",
        lambda ds: ",".join(_reference_commands()) + ":" + _files_digest(DATA_DIR),
        _load_reference_data,
        idempotent=True,
    ),
    Step(
        "projects",
        lambda ds: f"v1:{ds.projects}",
        lambda ds: build_projects(ds.projects),
    ),
]


def ensure(dataset, log=print):
    """Bring the current database up to date with `dataset`, building only what is missing."""
    database.ensure_exists()
    rewritten = _rewritten_migrations()
    if rewritten:
        _rebuild(log, f"migrations rewritten since the last build: {', '.join(rewritten)}")
    elif not _migrate(log):
        _rebuild(log, "the migrations do not apply to it")
    migrated = _record_migrations()
    if migrated:
        # A migration may rewrite a table (a stored generated column) or add indexes: fresh
        # statistics and visibility map, as autovacuum would give production.
        log(f"[{dataset.name}] vacuuming after {len(migrated)} new migration(s)…")
        database.vacuum()
    done = database.built_steps()
    changed = {s.name for s in STEPS if s.name in done and done[s.name] != s.signature(dataset)}
    if any(not s.idempotent for s in STEPS if s.name in changed):
        _rebuild(log, f"{', '.join(sorted(changed))} changed")
        _record_migrations()
        done, changed = database.built_steps(), set()
    todo = [s for s in STEPS if s.name not in done or s.name in changed]
    for step in todo:
        log(f"[{dataset.name}] building {step.name}…")
        step.build(dataset)
        database.mark_built(step.name, step.signature(dataset))
    if todo:
        database.analyze()


def _migration_digests():
    """{"app.name": digest of the file} for every migration on disk."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return {
        f"{app}.{name}": hashlib.sha256(
            Path(sys.modules[migration.__module__].__file__).read_bytes()
        ).hexdigest()[:16]
        for (app, name), migration in loader.disk_migrations.items()
    }


def _rewritten_migrations():
    """Migrations applied to this database whose file has changed or gone since (a developer
    rewrote an initial migration): `migrate` cannot notice, the tables no longer match."""
    current = _migration_digests()
    return sorted(
        step.removeprefix(MIGRATION_PREFIX)
        for step, digest in database.built_steps().items()
        if step.startswith(MIGRATION_PREFIX)
        and current.get(step.removeprefix(MIGRATION_PREFIX)) != digest
    )


def _record_migrations():
    """Record the migrations applied; the names of those not recorded before."""
    recorded = database.built_steps()
    fresh = []
    for name, digest in _migration_digests().items():
        if recorded.get(MIGRATION_PREFIX + name) != digest:
            database.mark_built(MIGRATION_PREFIX + name, digest)
            fresh.append(name)
    return fresh


def _migrate(log):
    try:
        call_command("migrate", interactive=False, verbosity=0)
    except Exception as error:  # Migrations rewritten since the last build.
        log(f"migrate failed: {error}")
        return False
    return True


def _rebuild(log, reason):
    log(f"rebuilding the benchmark database from scratch: {reason}")
    database.drop()
    database.ensure_exists()
    call_command("migrate", interactive=False, verbosity=0)
