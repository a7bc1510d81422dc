"""Backups (备份) and verified restores (恢复), for `shishi backup`, `shishi restore` and the
worker's nightly run (`core.tasks.nightly_backup`).

A backup is a directory `shishi-backup-<UTC time>/` holding the database (SQLite: a copy made
through SQLite's online backup API, consistent while the site keeps writing; PostgreSQL:
`pg_dump --format=custom`), the uploaded files under `media/`, and `manifest.json`: when it
was taken, the database vendor, the latest migration per app, the row count of every table
and the SHA-256 of every file. The counts and migrations are read from the same snapshot the
copy was made from (the SQLite copy itself; on PostgreSQL the dump shares the counting
transaction's exported snapshot), so a restore can demand exact equality.

The directory is written under a `.partial-` name and renamed once complete: a crash midway
never leaves something that looks like a backup. The database is copied before the media, so
every file a copied row points at was already on disk when the media were copied.

A restore goes into a fresh place only (a var directory; on PostgreSQL also a new database)
and then checks everything the manifest promises; `restore()` returns the report and its
problems, and any problem makes the command exit non-zero.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

PREFIX = "shishi-backup-"
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.dump"
MEDIA = "media"
FORMAT = 1


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator (Chinese)."""


@dataclass
class Report:
    """What a restore checked: `lines` say what held, `problems` what did not."""

    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def sha256(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def backups_in(folder: Path) -> list[Path]:
    """Complete backups in `folder`, oldest first (their names sort by time)."""
    if not folder.is_dir():
        return []
    return sorted(
        p for p in folder.iterdir() if p.name.startswith(PREFIX) and (p / MANIFEST).is_file()
    )


# --- Taking a backup -----------------------------------------------------------------------


def take_backup(*, dest: Path, now: datetime | None = None) -> Path:
    """Back up the database and the media into a new directory under `dest`; returns it."""
    if connection.in_atomic_block:
        # SQLite's backup step on a connection holding the write lock (transactions here are
        # IMMEDIATE) answers SQLITE_LOCKED, which Python's backup() retries for ever; on
        # PostgreSQL the snapshot must be the transaction's first statement.
        raise BackupError("备份须在事务之外进行")
    now = now or timezone.now()
    dest.mkdir(parents=True, exist_ok=True)
    name = PREFIX + now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    final = dest / name
    suffix = 1
    while final.exists():
        suffix += 1
        final = dest / f"{name}-{suffix}"
    partial = dest / f".partial-{final.name}"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    try:
        if connection.vendor == "sqlite":
            database = _copy_sqlite(partial / SQLITE_FILE)
        elif connection.vendor == "postgresql":
            database = _dump_postgresql(partial / PG_FILE)
        else:
            raise BackupError(f"不支持备份该数据库类型：{connection.vendor}")
        _copy_tree(Path(settings.MEDIA_ROOT), partial / MEDIA)
        manifest = {
            "format": FORMAT,
            "created_at": now.isoformat(),
            "database": {"vendor": connection.vendor, "file": database["file"]},
            "migrations": database["migrations"],
            "tables": database["tables"],
            "files": {
                path.relative_to(partial).as_posix(): sha256(path) for path in _files(partial)
            },
        }
        (partial / MANIFEST).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True)
        )
        _fsync_tree(partial)
        partial.rename(final)
        _fsync_dir(dest)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return final


def prune_backups(*, dest: Path, keep: int) -> list[Path]:
    """Delete the oldest complete backups beyond `keep`, and partial ones a crash left more
    than a day ago; returns what was deleted."""
    gone = []
    complete = backups_in(dest)
    for old in complete[: max(len(complete) - keep, 0)]:
        shutil.rmtree(old)
        gone.append(old)
    if dest.is_dir():
        for partial in dest.glob(".partial-*"):
            if partial.stat().st_mtime < time.time() - 86400:
                shutil.rmtree(partial, ignore_errors=True)
                gone.append(partial)
    return gone


def _copy_sqlite(target: Path) -> dict:
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        # One step under one read transaction: in WAL mode writers carry on meanwhile.
        connection.connection.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # the copy is one self-contained file
    finally:
        copy.close()
    with _open_sqlite(target) as copy:
        return {
            "file": SQLITE_FILE,
            "tables": _sqlite_counts(copy),
            "migrations": _latest_migrations(copy.execute(_MIGRATIONS_SQL).fetchall()),
        }


def _dump_postgresql(target: Path) -> dict:
    if shutil.which("pg_dump") is None:
        raise BackupError("找不到 pg_dump，请安装 PostgreSQL 客户端（postgresql-client）")
    with transaction.atomic(), connection.cursor() as cursor:
        # The dump and the counts see one snapshot, so a restore can demand equal counts.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        result = subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
             f"--snapshot={snapshot}", f"--file={target}"],
            env=_pg_env(connection.settings_dict), capture_output=True, text=True,
        )  # fmt: skip
        if result.returncode != 0:
            raise BackupError(f"pg_dump 失败：{result.stderr.strip()}")
        tables = _pg_counts(cursor)
        cursor.execute(_MIGRATIONS_SQL)
        migrations = _latest_migrations(cursor.fetchall())
    return {"file": PG_FILE, "tables": tables, "migrations": migrations}


# --- Restoring -------------------------------------------------------------------------------


def restore_backup(
    *, source: Path, target_dir: Path, database: str = "", force: bool = False
) -> Report:
    """Restore `source` into `target_dir` (media, and the SQLite file `shishi.sqlite3`) or,
    for a PostgreSQL backup, into the new database `database`; then verify it all."""
    report = Report()
    manifest = read_manifest(source)
    vendor = manifest["database"]["vendor"]
    if vendor == "postgresql" and not database:
        raise BackupError("这是 PostgreSQL 备份，请用 --database 指定恢复到的新数据库名")
    if vendor == "sqlite" and database:
        raise BackupError("这是 SQLite 备份，恢复到 --target-dir 目录，不用 --database")
    _check_target_dir(target_dir, force=force)
    if vendor == "postgresql":
        _check_target_database(database, force=force)

    verify_files(source, manifest, report)
    if not report.ok:
        report.problems.append("备份文件校验未通过，未执行恢复")
        return report

    target_dir.mkdir(parents=True, exist_ok=True)
    media_target = target_dir / MEDIA
    shutil.rmtree(media_target, ignore_errors=True)
    if (source / MEDIA).is_dir():
        _copy_tree(source / MEDIA, media_target)
    else:
        media_target.mkdir()
    restored_media = {
        f"{MEDIA}/{path.relative_to(media_target).as_posix()}": sha256(path)
        for path in _files(media_target)
    }
    expected_media = {k: v for k, v in manifest["files"].items() if k.startswith(f"{MEDIA}/")}
    if restored_media == expected_media:
        report.lines.append(f"上传文件：已恢复 {len(restored_media)} 个，校验和一致")
    else:
        report.problems.append("恢复后的上传文件与清单不一致")

    if vendor == "sqlite":
        tables, migrations = _restore_sqlite(source / SQLITE_FILE, target_dir, report)
    else:
        tables, migrations = _restore_postgresql(source / PG_FILE, database, report)
    _compare(manifest, tables, migrations, report)
    return report


def read_manifest(source: Path) -> dict:
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except FileNotFoundError as error:
        raise BackupError(f"{source} 不是备份目录（缺少 {MANIFEST}）") from error
    except ValueError as error:
        raise BackupError(f"{MANIFEST} 无法读取：{error}") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"不认识的备份格式：{manifest.get('format')}")
    return manifest


def verify_files(source: Path, manifest: dict, report: Report) -> None:
    """Every file the manifest lists is there with its SHA-256, and nothing else is."""
    expected = manifest["files"]
    present = {p.relative_to(source).as_posix() for p in _files(source)} - {MANIFEST}
    for name in sorted(set(expected) - present):
        report.problems.append(f"缺少文件：{name}")
    for name in sorted(present - set(expected)):
        report.problems.append(f"清单之外的文件：{name}")
    bad = [n for n in sorted(set(expected) & present) if sha256(source / n) != expected[n]]
    for name in bad:
        report.problems.append(f"校验和不符（文件已损坏或被改动）：{name}")
    if not report.problems:
        report.lines.append(f"校验和：{len(expected)} 个文件全部一致")


def _restore_sqlite(dump: Path, target_dir: Path, report: Report) -> tuple[dict, dict]:
    target = target_dir / "shishi.sqlite3"
    for leftover in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
        leftover.unlink(missing_ok=True)
    shutil.copyfile(dump, target)
    with _open_sqlite(target) as restored:
        verdict = [row[0] for row in restored.execute("PRAGMA integrity_check")]
        if verdict == ["ok"]:
            report.lines.append("SQLite 完整性检查（integrity_check）：ok")
        else:
            report.problems.append(f"SQLite 完整性检查失败：{'; '.join(verdict[:5])}")
            return {}, {}
        tables = _sqlite_counts(restored)
        migrations = _latest_migrations(restored.execute(_MIGRATIONS_SQL).fetchall())
    report.lines.append(f"数据库已恢复到：{target}")
    return tables, migrations


def _restore_postgresql(dump: Path, database: str, report: Report) -> tuple[dict, dict]:
    import psycopg

    if shutil.which("pg_restore") is None:
        raise BackupError("找不到 pg_restore，请安装 PostgreSQL 客户端（postgresql-client）")
    params = connection.settings_dict
    _create_database(database)
    result = subprocess.run(
        ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
         f"--dbname={database}", str(dump)],
        env=_pg_env(params), capture_output=True, text=True,
    )  # fmt: skip
    if result.returncode != 0:
        report.problems.append(f"pg_restore 失败：{result.stderr.strip()}")
        return {}, {}
    report.lines.append(f"数据库已恢复到：{database}")
    with psycopg.connect(**_pg_connect(params, database)) as restored, restored.cursor() as cur:
        tables = _pg_counts(cur)
        cur.execute(_MIGRATIONS_SQL)
        return tables, _latest_migrations(cur.fetchall())


def _compare(manifest: dict, tables: dict, migrations: dict, report: Report) -> None:
    if not tables:
        report.problems.append("无法读取恢复后的数据库")
        return
    expected = manifest["tables"]
    wrong = [
        f"{name}：清单 {expected.get(name, '无此表')}，恢复后 {tables.get(name, '无此表')}"
        for name in sorted(set(expected) | set(tables))
        if expected.get(name) != tables.get(name)
    ]
    if wrong:
        report.problems.append("行数不一致：" + "；".join(wrong))
    else:
        report.lines.append(f"行数：{len(tables)} 张表共 {sum(tables.values())} 行，与清单逐表一致")
    if migrations == manifest["migrations"]:
        report.lines.append(f"迁移状态：{len(migrations)} 个应用与清单一致")
    else:
        report.problems.append("迁移状态与清单不一致")


def _check_target_dir(target_dir: Path, *, force: bool) -> None:
    live = connection.settings_dict["NAME"] if connection.vendor == "sqlite" else None
    if live and Path(live).resolve() == (target_dir / "shishi.sqlite3").resolve():
        raise BackupError("不能恢复到正在使用的数据库所在目录，请恢复到新目录")
    if target_dir.exists() and any(target_dir.iterdir()) and not force:
        raise BackupError(f"目标目录 {target_dir} 不是空的；确认覆盖请加 --force")


def _check_target_database(database: str, *, force: bool) -> None:
    import psycopg

    params = connection.settings_dict
    if connection.vendor == "postgresql" and database == params["NAME"]:
        raise BackupError("不能恢复到正在使用的数据库，请指定一个新的数据库名")
    with psycopg.connect(**_pg_connect(params, "postgres")) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone():
            return
        with psycopg.connect(**_pg_connect(params, database)) as target:
            count = target.execute(
                "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
            ).fetchone()[0]
        if count and not force:
            raise BackupError(f"目标数据库 {database} 已有 {count} 张表；确认覆盖请加 --force")


def _create_database(database: str) -> None:
    """A new, empty `database`; one that is there (empty, or --force) is dropped first —
    only now, after the backup's checksums held."""
    import psycopg
    from psycopg import sql

    params = connection.settings_dict
    name = sql.Identifier(database)
    with psycopg.connect(**_pg_connect(params, "postgres"), autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(name))


# --- Helpers ---------------------------------------------------------------------------------

_MIGRATIONS_SQL = "SELECT app, name FROM django_migrations ORDER BY id"


def _latest_migrations(rows) -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in rows:  # applied order: the last one per app wins
        latest[app] = name
    return latest


def _sqlite_counts(db: sqlite3.Connection) -> dict[str, int]:
    names = [
        row[0]
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    return {name: db.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}


def _pg_counts(cursor) -> dict[str, int]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
    counts = {}
    for (name,) in cursor.fetchall():
        cursor.execute(f'SELECT count(*) FROM "{name}"')
        counts[name] = cursor.fetchone()[0]
    return counts


def _open_sqlite(path: Path) -> closing[sqlite3.Connection]:
    # sqlite3.Connection's own context manager commits but never closes.
    return closing(sqlite3.connect(path))


def _pg_connect(params: dict, dbname: str) -> dict:
    keys = {"host": params.get("HOST"), "port": params.get("PORT"), "user": params.get("USER")}
    keys |= {"password": params.get("PASSWORD"), "dbname": dbname}
    return {k: v for k, v in keys.items() if v}


def _pg_env(params: dict) -> dict[str, str]:
    env = dict(os.environ)
    for var, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"),
                     ("PGPASSWORD", "PASSWORD"), ("PGDATABASE", "NAME")):  # fmt: skip
        if params.get(key):
            env[var] = str(params[key])
    return env


def _files(folder: Path) -> Iterator[Path]:
    for root, _dirs, names in os.walk(folder):
        for name in names:
            yield Path(root) / name


def _copy_tree(source: Path, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    if source.is_dir():
        shutil.copytree(source, target, dirs_exist_ok=True)


def _fsync_tree(folder: Path) -> None:
    for path in _files(folder):
        with path.open("rb") as fh:
            os.fsync(fh.fileno())
    for root, dirs, _names in os.walk(folder):
        for name in dirs:
            _fsync_dir(Path(root) / name)
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
