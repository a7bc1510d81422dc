"""Backups: retention, the nightly task, and refusals (core.backup; issue 18 #11). Restoring
a database full of appeals is tested in appeals/tests/test_backup_restore.py."""

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from shishi.core import backup, tasks

sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite 备份")


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.mark.django_db(transaction=True)
def test_retention_deletes_the_oldest_backups_beyond_keep(media, tmp_path):
    # given four backups taken a day apart
    dest = tmp_path / "backups"
    start = datetime(2026, 11, 1, 18, 30, tzinfo=UTC)
    taken = [backup.take_backup(dest=dest, now=start + timedelta(days=d)) for d in range(4)]

    # when the command takes a fifth and keeps three
    out = io.StringIO()
    call_command("backup", dest=dest, keep=3, stdout=out)

    # then the two oldest are gone and the newest three remain
    left = backup.backups_in(dest)
    assert len(left) == 3
    assert left[:2] == taken[2:]
    assert not taken[0].exists() and not taken[1].exists()
    assert f"已删除旧备份：{taken[0].name}" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_nightly_task_backs_up_into_backup_dir_and_keeps_backup_keep(settings, media, tmp_path):
    # given the settings of the nightly backup and one backup already there
    settings.BACKUP_DIR = tmp_path / "nightly"
    settings.BACKUP_KEEP = 1
    old = backup.take_backup(dest=settings.BACKUP_DIR, now=datetime(2026, 1, 1, tzinfo=UTC))

    # when the worker runs the task
    tasks.nightly_backup.call_local()

    # then one new, complete backup is kept and the older one is deleted
    (kept,) = backup.backups_in(settings.BACKUP_DIR)
    assert kept != old and not old.exists()
    assert backup.read_manifest(kept)["database"]["vendor"] == connection.vendor


@pytest.mark.django_db(transaction=True)
def test_manifest_lists_migrations_counts_and_checksums(media, tmp_path):
    # given an uploaded file
    (media / "appeals").mkdir(parents=True)
    (media / "appeals" / "x.png").write_bytes(b"png")

    # when a backup is taken
    folder = backup.take_backup(dest=tmp_path / "backups")

    # then the manifest says what it holds, and no partial directory is left
    manifest = backup.read_manifest(folder)
    assert manifest["migrations"]["core"].startswith("00")
    assert manifest["tables"]["django_migrations"] > 0
    database = backup.SQLITE_FILE if connection.vendor == "sqlite" else backup.PG_FILE
    assert set(manifest["files"]) == {database, "media/appeals/x.png"}
    assert manifest["files"]["media/appeals/x.png"] == backup.sha256(media / "appeals" / "x.png")
    assert [p.name for p in (tmp_path / "backups").iterdir()] == [folder.name]


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_non_empty_target_without_force(media, tmp_path):
    # given a backup and a target directory with something in it
    folder = backup.take_backup(dest=tmp_path / "backups")
    target = tmp_path / "target"
    target.mkdir()
    (target / "notes.txt").write_text("别删我")

    # when it is restored there without --force, then it is refused and nothing is touched
    with pytest.raises(CommandError, match="不是空的"):
        call_command("restore", str(folder), target_dir=target, stdout=io.StringIO())
    assert [p.name for p in target.iterdir()] == ["notes.txt"]

    # and with --force it restores and verifies
    out = io.StringIO()
    call_command("restore", str(folder), target_dir=target, force=True, stdout=out)
    assert "全部校验通过" in out.getvalue()
    assert (target / "shishi.sqlite3").is_file()


@pytest.mark.django_db
def test_a_backup_inside_a_transaction_is_refused(media, tmp_path):
    # given an open transaction (a plain django_db test runs inside one): SQLite's backup API
    # would wait for ever on the connection's own write lock, and uncommitted rows are no backup

    # when a backup is asked for, then it is refused at once and nothing is left behind
    with pytest.raises(backup.BackupError, match="事务之外"):
        backup.take_backup(dest=tmp_path / "backups")
    assert not (tmp_path / "backups").exists()
