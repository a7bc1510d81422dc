"""Backups of a database with appeals restore and verify (core.backup; issue 18 #11).

The backup reads committed rows only (SQLite's backup API and pg_dump both copy what is
committed), so these tests run with `transaction=True`: the appeals are really committed to
the test database file (SQLite: `TEST.NAME` under var/, never in memory) before the backup.
"""

import io
import json
import os
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from shishi.appeals import actions
from shishi.appeals.models import Appeal, Channel
from shishi.appeals.tests.conftest import CONTENT, HOUSING, REPORTER_PHONE
from shishi.core import backup
from shishi.core.models import OutboxMessage

# A tiny valid PNG (1x1), enough for a stored photo.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _appeals(desk, count: int) -> list[str]:
    now = timezone.now()
    codes = [desk.submit(now=now, content=f"{CONTENT}（第{n}件）").code for n in range(count)]
    appeal, _ = actions.submit_appeal(
        submission=actions.Submission(
            channel=Channel.OPERATOR,
            kind="help",
            category=desk.categories[HOUSING],
            content=CONTENT,
            reporter_phone=REPORTER_PHONE,
        ),
        receiver=desk.tree["city"],
        by=desk.operator,
        now=now,
        photos=[SimpleUploadedFile("现场.png", PNG, content_type="image/png")],
    )
    return [*codes, appeal.code]


def _backup(tmp_path: Path) -> Path:
    call_command("backup", dest=tmp_path / "backups", stdout=io.StringIO())
    (folder,) = backup.backups_in(tmp_path / "backups")
    return folder


def _restore(folder: Path, target: Path, **options) -> str:
    """The command's report; also left in restore.out beside the target for a failed run."""
    out = target.parent / "restore.out"
    with out.open("w") as stdout:
        call_command("restore", str(folder), target_dir=target, stdout=stdout, **options)
    return out.read_text()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite 备份；PostgreSQL 见下一个测试")
@pytest.mark.django_db(transaction=True)
def test_every_appeal_is_in_the_restored_sqlite_database(desk, media, tmp_path):
    # given 12 appeals (one with a photo) committed to the database
    codes = _appeals(desk, 11)
    photo = media / Appeal.objects.get(code=codes[-1]).photos.get().file.name

    # when it is backed up and restored into a fresh directory
    report = _restore(_backup(tmp_path), tmp_path / "restored")

    # then the restored database holds every appeal, its 受理 event and SMS, and the photo
    with closing(sqlite3.connect(tmp_path / "restored" / "shishi.sqlite3")) as restored:
        found = {row[0] for row in restored.execute("SELECT code FROM appeals_appeal")}
        events = restored.execute(
            "SELECT count(*) FROM appeals_appealevent WHERE verb = 'received'"
        ).fetchone()[0]
        sms = restored.execute(
            "SELECT count(*) FROM core_outboxmessage WHERE channel = 'sms'"
        ).fetchone()[0]
    assert found == set(codes)
    assert events == len(codes)
    assert sms == OutboxMessage.objects.filter(channel="sms").count() >= len(codes)
    copy = tmp_path / "restored" / "media" / photo.relative_to(media)
    assert copy.read_bytes() == photo.read_bytes() == PNG
    assert "integrity_check）：ok" in report
    assert "与清单逐表一致" in report


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("tampered", ["database", "media"])
def test_a_tampered_backup_fails_verification_and_restores_nothing(desk, media, tmp_path, tampered):
    # given a backup in which one byte of a file was changed
    _appeals(desk, 2)
    folder = _backup(tmp_path)
    if tampered == "media":
        victim = next(p for p in (folder / "media").rglob("*") if p.is_file())
    else:
        victim = folder / backup.read_manifest(folder)["database"]["file"]
    data = bytearray(victim.read_bytes())
    data[len(data) // 2] ^= 0x01
    victim.write_bytes(bytes(data))

    # when it is restored, then the command fails, naming the file, and nothing is written
    # (on PostgreSQL the new database is not even created)
    database = f"{connection.settings_dict['NAME']}_tampered_{os.getpid()}"
    options = {"database": database} if connection.vendor == "postgresql" else {}
    with pytest.raises(CommandError, match="恢复校验未通过"):
        _restore(folder, tmp_path / "restored", **options)
    report = (tmp_path / "restore.out").read_text()
    assert f"校验和不符（文件已损坏或被改动）：{victim.relative_to(folder).as_posix()}" in report
    assert not (tmp_path / "restored").exists()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database])
            assert cursor.fetchone() is None


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite 备份")
@pytest.mark.django_db(transaction=True)
def test_a_restore_whose_row_counts_differ_from_the_manifest_fails(desk, media, tmp_path):
    # given a backup whose manifest promises one appeal more than the copy holds
    _appeals(desk, 3)
    folder = _backup(tmp_path)
    manifest = backup.read_manifest(folder)
    manifest["tables"]["appeals_appeal"] += 1
    (folder / backup.MANIFEST).write_text(json.dumps(manifest))

    # when it is restored, then the counts are compared table by table and the restore fails
    with pytest.raises(CommandError, match="恢复校验未通过"):
        _restore(folder, tmp_path / "restored")
    assert "appeals_appeal：清单 5，恢复后 4" in (tmp_path / "restore.out").read_text()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL 备份；当前数据库是 SQLite"
)
@pytest.mark.skipif(
    not (shutil.which("pg_dump") and shutil.which("pg_restore")),
    reason="没有 pg_dump/pg_restore（postgresql-client）",
)
@pytest.mark.django_db(transaction=True)
def test_postgresql_backup_restores_into_a_new_database_with_equal_counts(desk, media, tmp_path):
    import psycopg

    # given appeals committed to the PostgreSQL test database
    codes = _appeals(desk, 5)
    name = f"{connection.settings_dict['NAME']}_restored_{os.getpid()}"
    params = connection.settings_dict
    admin = {"host": params["HOST"], "port": params["PORT"], "user": params["USER"]}
    admin = {k: v for k, v in admin.items() if v} | {"password": params.get("PASSWORD") or None}
    admin = {k: v for k, v in admin.items() if v}
    try:
        # when it is backed up and restored into a new database
        report = _restore(_backup(tmp_path), tmp_path / "restored", database=name)

        # then every appeal is there and the command compared every table's count
        with psycopg.connect(dbname=name, **admin) as restored:
            found = {r[0] for r in restored.execute("SELECT code FROM appeals_appeal")}
            events = restored.execute(
                "SELECT count(*) FROM appeals_appealevent WHERE verb = 'received'"
            ).fetchone()[0]
        assert found == set(codes)
        assert events == len(codes)
        assert "与清单逐表一致" in report
        # and a second restore into the now non-empty database is refused without --force
        with pytest.raises(CommandError, match="--force"):
            _restore(_backup_again(tmp_path), tmp_path / "again", database=name)
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **admin) as server:
            server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _backup_again(tmp_path: Path) -> Path:
    return backup.backups_in(tmp_path / "backups")[-1]
