"""The demo runs on SQLite: a handful of people saving at once must all succeed."""

import threading
import time

import pytest
from django.db import connections, transaction

from hgw.settings import sqlite_for_concurrent_use
from schools.models import Board

WRITERS = 6


@pytest.fixture
def sqlite_alias(tmp_path, django_db_blocker):
    """A file-based SQLite database configured as the demo's, holding one table (not the
    test database: an in-memory SQLite database has no second connection to wait for)."""
    alias = "concurrent_sqlite"
    database = sqlite_for_concurrent_use(
        {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "demo.sqlite3")}
    )
    configured = connections.configure_settings(
        {"default": {"ENGINE": "django.db.backends.dummy"}, alias: database}
    )
    connections.settings[alias] = configured[alias]
    with django_db_blocker.unblock():
        with connections[alias].schema_editor() as editor:
            editor.create_model(Board)
        yield alias
        connections[alias].close()
    del connections[alias]
    del connections.settings[alias]


def test_several_people_saving_at_once_on_sqlite_all_succeed(sqlite_alias):
    """Each writer reads, then writes, in one transaction: what an action does. Without an
    IMMEDIATE transaction two such writers deadlock and SQLite refuses one at once."""
    start = threading.Barrier(WRITERS)
    failures: list[BaseException] = []

    def save(number: int) -> None:
        try:
            start.wait()
            with transaction.atomic(using=sqlite_alias):
                Board.objects.using(sqlite_alias).count()
                time.sleep(0.05)
                Board.objects.using(sqlite_alias).create(name=f"Bestuur {number}")
        except BaseException as error:  # reported below, per writer
            failures.append(error)
        finally:
            connections[sqlite_alias].close()

    writers = [threading.Thread(target=save, args=(n,)) for n in range(WRITERS)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=60)
    assert failures == []
    assert Board.objects.using(sqlite_alias).count() == WRITERS


def test_the_demo_database_waits_for_the_write_lock_and_lets_readers_read(sqlite_alias):
    with connections[sqlite_alias].cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
    assert connections[sqlite_alias].transaction_mode == "IMMEDIATE"
