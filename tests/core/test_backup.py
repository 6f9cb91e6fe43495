"""Backup and restore round-trip the demo instance: same row counts, same files."""

import hashlib
import json

import psycopg
import pytest
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from ecoquartier.core import backup
from ecoquartier.projects.models import Project
from tests.demo.conftest import demo_territories  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)
QUIET = {"stdout": open("/dev/null", "w")}  # noqa: SIM115


@pytest.fixture
def demo_instance(demo_territories):  # noqa: F811
    call_command("load_demo", **QUIET)
    assert any(backup._walk(default_storage)), "the demo stores files (answer files, charters…)"


@pytest.fixture
def fresh_database(tmp_path):
    """The URL of an empty database of the same engine as the tests'."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    params = backup._psycopg_params(connection.settings_dict)
    name = f"{params['dbname']}_restored"
    admin = {**params, "dbname": "postgres", "autocommit": True}
    with psycopg.connect(**admin) as raw:
        raw.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        raw.execute(f'CREATE DATABASE "{name}"')
    host, port = params.get("host", "localhost"), params.get("port", 5432)
    yield f"postgres://{params.get('user', '')}@{host}:{port}/{name}"
    with psycopg.connect(**admin) as raw:
        raw.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_backup_restored_into_a_fresh_database_has_every_row_and_file(
    demo_instance, fresh_database, tmp_path
):
    manifest = backup.backup(tmp_path / "backup")
    restored_files = FileSystemStorage(location=tmp_path / "restored-media")

    report = backup.restore(
        tmp_path / "backup", database_url=fresh_database, storage=restored_files
    )

    assert report.ok, (report.count_mismatches, report.file_mismatches)
    assert manifest["tables"]["projects_project"] == Project.objects.count() > 0
    assert report.tables == len(manifest["tables"]) > 50
    assert report.files == len(manifest["files"]) > 0
    for name, checksum in manifest["files"].items():
        assert sha256(tmp_path / "restored-media" / name) == checksum


def test_the_manifest_lists_every_table_with_its_row_count(demo_instance, tmp_path):
    manifest = backup.backup(tmp_path / "backup")

    written = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert written == manifest
    tables = {t for t in connection.introspection.table_names() if not t.startswith("sqlite_")}
    assert set(manifest["tables"]) == tables
    assert manifest["tables"]["core_activityevent"] > 0


def test_restore_replaces_what_changed_since_the_backup(demo_instance, tmp_path):
    call_command("backup", output=tmp_path / "backups", **QUIET)
    docks = Project.objects.get(slug="ecoquartier-des-docks")
    Project.objects.filter(pk=docks.pk).update(name="Renommé après la sauvegarde")
    stored = next(backup._walk(default_storage))
    with default_storage.open(stored, "wb") as handle:
        handle.write(b"altered after the backup")

    call_command("restore", backups=tmp_path / "backups", noinput=True, **QUIET)

    assert Project.objects.get(pk=docks.pk).name == "Écoquartier des Docks"
    with default_storage.open(stored, "rb") as handle:
        assert handle.read() != b"altered after the backup"


def test_a_restore_that_differs_from_its_manifest_fails_loudly(demo_instance, tmp_path):
    backup.backup(tmp_path / "backup")
    manifest_path = tmp_path / "backup" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["tables"]["projects_project"] += 1
    manifest_path.write_text(json.dumps(manifest))

    with pytest.raises(CommandError, match="projects_project"):
        call_command("restore", str(tmp_path / "backup"), noinput=True, **QUIET)


def test_restore_refuses_a_folder_that_is_not_a_backup(tmp_path):
    with pytest.raises(CommandError, match="manifest.json"):
        call_command("restore", str(tmp_path), noinput=True, **QUIET)


def test_a_manifest_cannot_write_outside_the_storage(tmp_path):
    with pytest.raises(backup.BackupError):
        backup._safe_relative("../../etc/passwd")
