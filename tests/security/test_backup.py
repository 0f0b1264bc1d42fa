"""A backup restores: every pupil, guardian and test result comes back.

On PostgreSQL (bin/test, production) this runs what the README's "Backups" section tells an
operator to run: `pg_dump -Fc`, then `pg_restore` into a new, empty database. On SQLite
(a quick local run) it takes a copy through SQLite's online backup API instead. Either way the
copy is opened on its own and searched for the data.

pg_dump only sees committed data, hence `transactional_db`.
"""

import datetime
import shutil
import sqlite3
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection

from pupils.models import Guardian, Instrument, Pupil
from pupils.models import TestResult as Result

PG_BIN = Path("/usr/lib/postgresql/15/bin")


@pytest.fixture
def school_data(transactional_db, world):
    """The persona world, with a test result and a guardian for every pupil."""
    instrument = Instrument.objects.create(
        school=world.school, name="Back-uptoets", subject="maths", score_kind="ability_score"
    )
    for number, pupil in enumerate(Pupil.objects.all(), start=1):
        if not pupil.guardians.exists():
            Guardian.objects.create(pupil=pupil, name=f"Ouder {number}", relation="mother")
        Result.objects.create(
            pupil=pupil,
            instrument=instrument,
            date_taken=datetime.date(2025, 2, number),
            score=100 + number,
        )
    return {
        "las_keys": set(Pupil.objects.values_list("las_key", flat=True)),
        "guardians": set(Guardian.objects.values_list("pk", "pupil_id", "name")),
        "results": set(Result.objects.values_list("pk", "pupil_id", "score")),
    }


def _tables() -> dict[str, str]:
    return {
        "pupils": Pupil._meta.db_table,
        "guardians": Guardian._meta.db_table,
        "results": Result._meta.db_table,
    }


QUERIES = {
    "las_keys": "SELECT las_key FROM {pupils}",
    "guardians": "SELECT id, pupil_id, name FROM {guardians}",
    "results": "SELECT id, pupil_id, score FROM {results}",
}


def _read_back(cursor) -> dict[str, set]:
    found = {}
    for key, query in QUERIES.items():
        cursor.execute(query.format(**_tables()))
        found[key] = set(map(tuple, cursor.fetchall()))
    found["las_keys"] = {key for (key,) in found["las_keys"]}
    # A score as a Decimal whatever the database gives (SQLite: an int or a float).
    found["results"] = {(pk, pupil, Decimal(str(score))) for pk, pupil, score in found["results"]}
    return found


def test_a_backup_restores_every_pupil_guardian_and_result(school_data, tmp_path):
    assert len(school_data["las_keys"]) == 3 and len(school_data["results"]) == 3
    if connection.vendor == "postgresql":
        restored = _dump_and_restore_postgresql(tmp_path)
    else:
        restored = _backup_sqlite(tmp_path)
    assert restored == school_data


def _backup_sqlite(tmp_path: Path) -> dict[str, set]:
    connection.ensure_connection()
    copy_path = tmp_path / "backup.sqlite3"
    with sqlite3.connect(copy_path) as copy:
        connection.connection.backup(copy)
    copy.close()
    assert copy_path.stat().st_size > 0
    with sqlite3.connect(copy_path) as restored:
        return _read_back(restored.cursor())


def _dump_and_restore_postgresql(tmp_path: Path) -> dict[str, set]:
    import psycopg

    db = connection.settings_dict
    where = ["--host", db["HOST"] or "localhost", "--username", db["USER"] or "postgres"]
    if db["PORT"]:
        where += ["--port", str(db["PORT"])]
    env = {"PATH": "/usr/bin:/bin"}
    if db["PASSWORD"]:
        env["PGPASSWORD"] = db["PASSWORD"]
    dump = tmp_path / "hgw.dump"
    scratch = f"{db['NAME']}_restore_check"

    def run(program: str, *args: str) -> None:
        executable = PG_BIN / program
        command = str(executable) if executable.exists() else shutil.which(program)
        assert command, f"{program} not found"
        result = subprocess.run(
            [command, *where, *args], env=env, capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 0, f"{program}: {result.stderr}"

    run("pg_dump", "--format=custom", "--file", str(dump), db["NAME"])
    assert dump.read_bytes().startswith(b"PGDMP")  # the custom format's signature
    run("dropdb", "--if-exists", scratch)
    run("createdb", scratch)
    try:
        run("pg_restore", "--no-owner", "--exit-on-error", "--dbname", scratch, str(dump))
        with psycopg.connect(
            host=db["HOST"] or "localhost",
            port=db["PORT"] or None,
            user=db["USER"] or "postgres",
            password=db["PASSWORD"] or None,
            dbname=scratch,
        ) as restored:
            return _read_back(restored.cursor())
    finally:
        run("dropdb", "--if-exists", scratch)
