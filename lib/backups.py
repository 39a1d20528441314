"""Backups: the database and the uploaded and generated files, together, in one file.

A backup is a gzipped tar file:

- ``manifest.json``: when, from which database engine, each table's row count and
  each file's SHA-256, so that a restore can check what it put back;
- ``database.dump`` (PostgreSQL: ``pg_dump --format=custom``) or
  ``database.sqlite3`` (SQLite: a copy made by SQLite's own online backup);
- ``media/``: every file under ``MEDIA_ROOT`` (uploads, signed agreements, reports).

The PostgreSQL client tools (``pg_dump``, ``pg_restore``) must be of the server's
major version or newer. A restore goes into an empty database and storage (or over
them with ``force``), then checks every table's row count and every file's SHA-256
against the manifest.
"""

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction

FORMAT = 1


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why."""


@dataclass
class Summary:
    path: Path
    tables: int
    rows: int
    files: int


def engine() -> str:
    vendor = connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    return vendor


def table_counts() -> dict[str, int]:
    """Every table's row count (Django's tables and the apps')."""
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def sqlite_counts(database: sqlite3.Connection) -> dict[str, int]:
    names = [
        row[0]
        for row in database.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {
        name: database.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]
        for name in sorted(names)
    }


def media_files(root: Path) -> Iterator[Path]:
    if root.exists():
        yield from sorted(path for path in root.rglob("*") if path.is_file())


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        for block in iter(lambda: source.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def pg_environment() -> dict[str, str]:
    """libpq's variables for the default database, so that no password is on a
    command line."""
    db = connection.settings_dict
    env = os.environ.copy()
    given = {
        "PGHOST": db.get("HOST"),
        "PGPORT": db.get("PORT"),
        "PGUSER": db.get("USER"),
        "PGPASSWORD": db.get("PASSWORD"),
    }
    env |= {key: str(value) for key, value in given.items() if value}
    env["PGDATABASE"] = connection.settings_dict["NAME"]
    return env


def run(command: list[str]) -> None:
    try:
        result = subprocess.run(command, env=pg_environment(), capture_output=True, text=True)
    except FileNotFoundError:
        raise BackupError(
            f"{command[0]} was not found: install PostgreSQL's client tools "
            "(Debian: postgresql-client)."
        ) from None
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def make_backup(target: Path) -> Summary:
    """Write a backup to ``target`` (a new file, written whole or not at all)."""
    vendor = engine()
    media_root = Path(settings.MEDIA_ROOT)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        dump = Path(work) / ("database.dump" if vendor == "postgresql" else "database.sqlite3")
        if vendor == "postgresql":
            # One snapshot for the counts and the dump: pg_dump reads what this
            # transaction sees, however much is written meanwhile.
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
                counts = table_counts()
                run(
                    [
                        "pg_dump",
                        "--format=custom",
                        "--no-owner",
                        "--no-privileges",
                        f"--snapshot={snapshot}",
                        "-f",
                        str(dump),
                    ]
                )
        else:
            # SQLite's online backup is a consistent copy; the counts are the copy's.
            connection.ensure_connection()
            with closing(sqlite3.connect(dump)) as copy:
                connection.connection.backup(copy)
                counts = sqlite_counts(copy)
        files = {
            path.relative_to(media_root).as_posix(): sha256(path)
            for path in media_files(media_root)
        }
        manifest = {
            "format": FORMAT,
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "engine": vendor,
            "tables": counts,
            "files": files,
        }
        partial = target.with_name(target.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            info.mtime = int(dt.datetime.now(dt.UTC).timestamp())
            archive.addfile(info, io.BytesIO(data))
            archive.add(dump, arcname=dump.name)
            for name in files:
                archive.add(media_root / name, arcname=f"media/{name}")
        partial.replace(target)
    return Summary(target, len(counts), sum(counts.values()), len(files))


def read_manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    member = archive.extractfile("manifest.json")
    if member is None:
        raise BackupError("The file is not a backup: it has no manifest.")
    manifest: dict[str, Any] = json.load(member)
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Backup format {manifest.get('format')} is not {FORMAT}.")
    return manifest


def is_empty() -> bool:
    """No table holds a row that a restore would put back (an empty database may
    hold Django's tables from `migrate`, with nothing in them but migrations)."""
    skip = {"django_migrations", "django_content_type", "auth_permission"}
    return not any(count for table, count in table_counts().items() if table not in skip)


def restore_backup(source: Path, *, force: bool = False) -> Summary:
    """Put a backup back: the database, then the files; then check both."""
    vendor = engine()
    media_root = Path(settings.MEDIA_ROOT)
    try:
        archive = tarfile.open(source, "r:gz")  # noqa: SIM115 - closed by the with below
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"{source} cannot be read as a backup: {error}") from None
    with archive, tempfile.TemporaryDirectory() as work:
        manifest = read_manifest(archive)
        if manifest["engine"] != vendor:
            raise BackupError(
                f"The backup is of a {manifest['engine']} database; this one is {vendor}."
            )
        if not force and (not is_empty() or any(media_files(media_root))):
            raise BackupError(
                "The database or MEDIA_ROOT is not empty: restore into an empty one, "
                "or give --force to replace what is there."
            )
        archive.extractall(work, filter="data")
        folder = Path(work)
        if vendor == "postgresql":
            connection.close()
            run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--no-privileges",
                    "--single-transaction",
                    "-d",
                    connection.settings_dict["NAME"],
                    str(folder / "database.dump"),
                ]
            )
        else:
            connection.ensure_connection()
            with closing(sqlite3.connect(folder / "database.sqlite3")) as copy:
                copy.backup(connection.connection)
        if force and media_root.exists():
            shutil.rmtree(media_root)
        for name in manifest["files"]:
            target = media_root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(folder / "media" / name, target)
    counts = table_counts()
    wrong = {
        table: (count, counts.get(table))
        for table, count in manifest["tables"].items()
        if counts.get(table) != count
    }
    if wrong:
        raise BackupError(f"Restored tables differ from the backup (expected, found): {wrong}")
    bad = [
        name for name, digest in manifest["files"].items() if sha256(media_root / name) != digest
    ]
    if bad:
        raise BackupError(f"Restored files differ from the backup: {bad}")
    return Summary(source, len(counts), sum(counts.values()), len(manifest["files"]))
