"""Backup and restore of a whole instance: its database and every stored file.

A backup is a directory:

    manifest.json      engine, date, row count of every table, SHA-256 of every stored file
    database.sqlite3   SQLite: a consistent copy made with SQLite's online backup API
    database.dump      PostgreSQL: `pg_dump --format=custom`, taken in the same snapshot as the
                       row counts of the manifest
    files/<name>       every file of the default storage, under its storage name

`restore` puts the database and the files back (into the configured database and storage, or
into others given explicitly) and checks the restored row counts and file checksums against the
manifest, so a backup is known to be good only once it has been restored (README, "Sauvegarde").
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import environ
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connections, transaction
from django.utils import timezone

MANIFEST = "manifest.json"
FILES = "files"
DUMPS = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    pass


@dataclass
class Report:
    """What a restore found: differences from the manifest (empty when all is identical)."""

    tables: int = 0
    files: int = 0
    count_mismatches: dict = field(default_factory=dict)  # table: (expected, found)
    file_mismatches: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.count_mismatches and not self.file_mismatches


# --- Backup ------------------------------------------------------------------------------------


def backup(destination, using="default", storage=None):
    """Write a backup of database `using` and of `storage` into the new directory `destination`;
    return its manifest."""
    destination = Path(destination)
    destination.mkdir(parents=True)
    connection = connections[using]
    vendor = connection.vendor
    if vendor not in DUMPS:
        raise BackupError(f"Unsupported database engine: {vendor}")
    if connection.in_atomic_block:
        raise BackupError("A backup must run outside a transaction (it takes its own snapshot).")
    dump = destination / DUMPS[vendor]
    if vendor == "sqlite":
        counts = _backup_sqlite(connection, dump)
    else:
        counts = _backup_postgresql(connection, dump)
    manifest = {
        "created_at": timezone.now().isoformat(),
        "engine": vendor,
        "database": DUMPS[vendor],
        "tables": counts,
        "files": _copy_files(storage or default_storage, destination / FILES),
    }
    (destination / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return manifest


def _backup_sqlite(connection, dump):
    connection.ensure_connection()
    target = sqlite3.connect(dump)
    try:
        connection.connection.backup(target)
        return _sqlite_counts(target)
    finally:
        target.close()


def _backup_postgresql(connection, dump):
    """Row counts and pg_dump read the same snapshot, so the manifest describes the dump exactly
    even while the platform keeps writing."""
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = _counts(cursor, connection.introspection.table_names(cursor))
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges"]
            + [f"--snapshot={snapshot}", f"--file={dump}"],
            _libpq_env(connection.settings_dict),
        )
    return counts


def _copy_files(storage, root):
    """Copy every stored file under `root`; return {name: sha256}."""
    checksums = {}
    for name in sorted(_walk(storage)):
        target = root / _safe_relative(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        with storage.open(name, "rb") as source, target.open("wb") as out:
            for chunk in iter(lambda s=source: s.read(CHUNK), b""):
                digest.update(chunk)
                out.write(chunk)
        checksums[name] = digest.hexdigest()
    return checksums


def _walk(storage, directory=""):
    try:
        directories, files = storage.listdir(directory)
    except FileNotFoundError:  # An instance that never stored a file has no media folder.
        return
    for name in files:
        yield str(PurePosixPath(directory, name)) if directory else name
    for name in directories:
        yield from _walk(storage, str(PurePosixPath(directory, name)) if directory else name)


# --- Restore -----------------------------------------------------------------------------------


def latest(directory):
    """The most recent backup in `directory` (backups are named by their date)."""
    found = sorted(p for p in Path(directory).glob("*") if (p / MANIFEST).is_file())
    if not found:
        raise BackupError(f"No backup in {directory}.")
    return found[-1]


def read_manifest(source):
    try:
        return json.loads((Path(source) / MANIFEST).read_text())
    except FileNotFoundError as error:
        raise BackupError(f"{source} is not a backup (no {MANIFEST}).") from error


def restore(source, database_url=None, storage=None, using="default"):
    """Restore the backup in `source` into `database_url` (default: database `using`) and
    `storage` (default: the default storage), replacing what they hold; check the result."""
    source = Path(source)
    manifest = read_manifest(source)
    config = (
        environ.Env.db_url_config(database_url)
        if database_url
        else connections[using].settings_dict
    )
    vendor = _vendor(config["ENGINE"])
    if vendor != manifest["engine"]:
        raise BackupError(
            f"This backup is a {manifest['engine']} database; the target is {vendor}. "
            "Move data between engines with dumpdata/loaddata (README)."
        )
    dump = source / manifest["database"]
    if not database_url:
        connections[using].close()  # Let the restore replace what this process had open.
    if vendor == "sqlite":
        counts = _restore_sqlite(dump, config, None if database_url else connections[using])
    else:
        _run(
            ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges"]
            + ["--single-transaction", f"--dbname={config['NAME']}", str(dump)],
            _libpq_env(config),
        )
        counts = _postgresql_counts(config, manifest["tables"])
    storage = storage or default_storage
    _restore_files(source / FILES, manifest["files"], storage)
    return check(manifest, counts, storage)


def _restore_sqlite(dump, config, connection):
    """Copy the backup into the target with SQLite's backup API (it replaces every page, so the
    target ends identical to the backup, whatever it held)."""
    backup_db = sqlite3.connect(dump)
    try:
        if connection is not None:
            connection.ensure_connection()
            backup_db.backup(connection.connection)
            return _sqlite_counts(connection.connection)
        target = sqlite3.connect(config["NAME"])
        try:
            backup_db.backup(target)
            return _sqlite_counts(target)
        finally:
            target.close()
    finally:
        backup_db.close()


def _restore_files(root, checksums, storage):
    for name in checksums:
        path = root / _safe_relative(name)
        if storage.exists(name):
            storage.delete(name)
        with path.open("rb") as handle:
            saved = storage.save(name, File(handle, name=name))
        if saved != name:
            raise BackupError(f"The storage renamed {name} to {saved}.")


def check(manifest, counts, storage):
    report = Report(tables=len(manifest["tables"]), files=len(manifest["files"]))
    for table, expected in manifest["tables"].items():
        if counts.get(table) != expected:
            report.count_mismatches[table] = (expected, counts.get(table))
    for name, expected in manifest["files"].items():
        if not storage.exists(name) or _sha256(storage, name) != expected:
            report.file_mismatches.append(name)
    return report


# --- Plumbing ----------------------------------------------------------------------------------


def _counts(cursor, tables):
    counts = {}
    for table in sorted(tables):
        quoted = table.replace('"', '""')
        cursor.execute(f'SELECT COUNT(*) FROM "{quoted}"')
        counts[table] = cursor.fetchone()[0]
    return counts


def _sqlite_counts(raw):
    cursor = raw.cursor()
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    return _counts(cursor, [row[0] for row in cursor.fetchall()])


def _postgresql_counts(config, tables):
    import psycopg

    with psycopg.connect(**_psycopg_params(config)) as raw, raw.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        present = {row[0] for row in cursor.fetchall()}
        return _counts(cursor, present & set(tables))


def _sha256(storage, name):
    digest = hashlib.sha256()
    with storage.open(name, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _safe_relative(name):
    """A storage name as a relative path that cannot leave the backup's files folder."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts:
        raise BackupError(f"Unsafe file name in storage or manifest: {name}")
    return Path(*path.parts)


def _vendor(engine):
    return "sqlite" if "sqlite" in engine else "postgresql" if "postg" in engine else engine


def _psycopg_params(config):
    params = {
        "dbname": config["NAME"],
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
    }
    return {key: value for key, value in params.items() if value is not None}


def _libpq_env(config):
    """pg_dump and pg_restore read the connection from the environment: the password never
    shows on a command line."""
    names = {"dbname": "PGDATABASE", "host": "PGHOST", "port": "PGPORT", "user": "PGUSER"}
    names["password"] = "PGPASSWORD"
    params = _psycopg_params(config)
    return {**os.environ, **{names[key]: str(value) for key, value in params.items()}}


def _run(command, env):
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (Debian: postgresql-client).")
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")
