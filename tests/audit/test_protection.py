"""The audit trail is append-only: a trigger on PostgreSQL, a guard in the application on every
database; the retention purge's `erasure()` is the one way through.

bin/test (and CI) run these on PostgreSQL, where the database itself must refuse; on SQLite
(development) the same tests check the application-level guard.
"""

import pytest
from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError
from django.db.utils import DatabaseError
from simple_history.models import HistoricalChanges

from accounts.models import SecurityEvent
from audit import protection
from audit.models import AccessLogEntry, AccessLogPupil, Erasure
from audit.protection import AuditTrailProtected, erasure
from pupils.models import Pupil

ON_POSTGRESQL = connection.vendor == "postgresql"


def test_every_audit_and_history_table_is_protected(db):
    history_models = [m for m in apps.get_models() if issubclass(m, HistoricalChanges)]
    assert len(history_models) >= 16
    required = {m._meta.db_table for m in history_models} | {
        "audit_accesslogentry",
        "audit_accesslogpupil",
        "audit_erasure",
        "accounts_securityevent",
        "careroute_routeevent",
    }
    assert required >= {
        "pupils_historicalpupil",
        "pupils_historicalguardian",
        "pupils_historicalenrolment",
        "pupils_historicalgroupteacherassignment",
        "pupils_historicaltestresult",
        "pupils_historicalpupillogentry",
        "groupplans_historicalgroupoverview",
        "groupplans_historicaloverviewrow",
        "groupplans_historicalsuggestiondecision",
        "groupplans_historicalgroupplan",
        "groupplans_historicalplansection",
        "groupplans_historicalsubgroup",
        "groupplans_historicalplacement",
        "groupplans_historicalplancomment",
        "meetings_historicalmeeting",
        "meetings_historicalmeetingitem",
        "meetings_historicaladdendum",
        "meetings_historicalminutes",
        "meetings_historicalpreparation",
        "meetings_historicalregistration",
        "meetings_historicalactionpoint",
        "careroute_historicalcareroute",
        "careroute_historicalcareteamcase",
        "careroute_historicalcareteamregistration",
        "careroute_historicalconsent",
        "careroute_historicaldatapoint",
        "careroute_historicalhgdrequest",
        "careroute_historicalihp",
        "careroute_historicalihpgoal",
        "careroute_historicalihporganisation",
        "careroute_historicalopp",
        "careroute_historicaloppevaluation",
        "careroute_historicalzathandover",
        "careroute_routeevent",
        "accounts_historicalmembership",
        "accounts_securityevent",
        "schools_historicalschool",
    }
    assert set(protection.protected_tables()) == required
    unguarded = [m for m in protection.protected_models() if not protection.is_guarded(m)]
    assert unguarded == [], "the application-level guard misses these"
    if ON_POSTGRESQL:
        # A later app's historical table without a migration calling protect_tables fails here.
        assert protection.unprotected_tables() == [], "add protect_tables() to a migration"


def _entry(pupil) -> AccessLogEntry:
    entry = AccessLogEntry.objects.create(what="pupils:pupil_basic", path=f"/x/{pupil.pk}/")
    AccessLogPupil.objects.create(entry=entry, pupil_id=pupil.pk)
    return entry


def _rows(world):
    """One row of each kind of audit table: (model, pk)."""
    # An entry without pupil lines: deleting one with lines is refused by its foreign key.
    bare = AccessLogEntry.objects.create(what="home", path="/")
    entry = _entry(world.pupil)
    erasure_row = Erasure.objects.create(school=world.school, pupil_count=1, reason="test")
    history = Pupil.history.model.objects.filter(id=world.pupil.pk).first()
    guardian_history = world.pupil.guardians.get().history.first()
    event = SecurityEvent.objects.create(
        user=world.users["teacher"], kind=SecurityEvent.Kind.TWO_FACTOR_ENROLLED
    )
    return [
        (SecurityEvent, event.pk, "kind"),
        (AccessLogEntry, bare.pk, "path"),
        (AccessLogPupil, entry.pupils.get().pk, "pupil_id"),
        (Erasure, erasure_row.pk, "reason"),
        (type(history), history.pk, "given_name"),
        (type(guardian_history), guardian_history.pk, "name"),
    ]


def _raw(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _raw_in_savepoint(sql: str, params: list) -> None:
    with transaction.atomic():
        _raw(sql, params)


def test_the_database_refuses_update_and_delete_of_the_audit_trail(world):
    for model, pk, column in _rows(world):
        table, key = model._meta.db_table, model._meta.pk.column
        update = f"UPDATE {table} SET {column} = {column} WHERE {key} = %s"
        delete = f"DELETE FROM {table} WHERE {key} = %s"
        if ON_POSTGRESQL:
            for sql in (update, delete):
                with pytest.raises(DatabaseError, match=r"audit trail.*append-only"):
                    _raw_in_savepoint(sql, [pk])
            # QuerySet.update() bypasses the application; the trigger still refuses.
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
                model.objects.filter(pk=pk).update(**{column: getattr_value(model, pk, column)})
        # Through the ORM the application refuses first, on every database.
        row = model.objects.get(pk=pk)
        with pytest.raises(AuditTrailProtected), transaction.atomic():
            row.save()
        with pytest.raises(AuditTrailProtected), transaction.atomic():
            row.delete()
        with pytest.raises(AuditTrailProtected), transaction.atomic():
            model.objects.filter(pk=pk).delete()
        assert model.objects.filter(pk=pk).exists()


def getattr_value(model, pk, column):
    return model.objects.filter(pk=pk).values_list(column, flat=True).get()


def test_erasure_lets_changes_through_for_its_block_only(world):
    rows = _rows(world)
    with transaction.atomic():
        with erasure():
            for model, pk, column in rows:
                table, key = model._meta.db_table, model._meta.pk.column
                _raw(f"UPDATE {table} SET {column} = {column} WHERE {key} = %s", [pk])
            for model, pk, _column in rows:
                model.objects.filter(pk=pk).delete()
                assert not model.objects.filter(pk=pk).exists()
        # After the block, in the same transaction, the trail is closed again.
        entry = _entry(world.pupil)
        with pytest.raises(AuditTrailProtected), transaction.atomic():
            entry.pupils.get().delete()
        if ON_POSTGRESQL:
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
                _raw("DELETE FROM audit_accesslogentry WHERE id = %s", [entry.pk])


def test_history_is_still_written(world):
    """The guard refuses changes, never the new revisions simple-history appends."""
    before = world.pupil.history.count()
    world.pupil.given_name = "Sanna"
    world.pupil.save()
    assert world.pupil.history.count() == before + 1


@pytest.mark.django_db(transaction=True)
def test_erasure_needs_a_transaction_and_ends_with_it(world):
    with pytest.raises(TransactionManagementError), erasure():
        pass
    entry = _entry(world.pupil)
    with transaction.atomic(), erasure():
        pass
    if ON_POSTGRESQL:
        # The setting was transaction-local: the next transaction is refused again.
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            _raw("DELETE FROM audit_accesslogpupil WHERE entry_id = %s", [entry.pk])
    with pytest.raises(AuditTrailProtected):
        entry.pupils.get().delete()


@pytest.mark.django_db(transaction=True)
def test_truncate_still_works_for_the_test_flush(world):
    _rows(world)
    tables = protection.protected_tables()
    statements = connection.ops.sql_flush(no_style(), tables, allow_cascade=True)
    if ON_POSTGRESQL:
        assert all(s.startswith("TRUNCATE") for s in statements)
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    assert not AccessLogEntry.objects.exists()
    assert not Pupil.history.exists()
