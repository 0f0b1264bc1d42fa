"""The audit trail is append-only: the database refuses to change or delete it.

On PostgreSQL a trigger on every audit table (the access log, the erasure tombstones and
every simple-history table) refuses UPDATE and DELETE, whoever sends them: a bug, a
`QuerySet.update()`, a person at `dbshell`. TRUNCATE is left alone: the test database flush
needs it, and only the database owner can truncate anyway.

The one privileged path is the retention purge, which erases a pupil's history and access-log
lines on purpose. It runs inside `erasure()`, which sets the transaction-local setting
`hgw.erasure` to 'on'; the trigger lets statements through while it is on, and it ends with
the block (or, at the latest, with the transaction).

On other databases (SQLite in development) there is no trigger; the application-level guard
below refuses the same changes made through the ORM.

A later app whose models declare `history = pupil_history()` protects its new historical
tables in the migration that creates them:

    from audit.protection import protect_in_migration

    operations = [..., protect_in_migration(["groupplans_historicalgroupplan"])]

`tests/audit/test_protection.py` fails for any historical table left unprotected.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.signals import pre_delete, pre_save
from django.db.transaction import TransactionManagementError

SETTING = "hgw.erasure"
FUNCTION = "hgw_audit_append_only"
TRIGGER = "hgw_audit_append_only"
# The audit tables that are not simple-history tables: the access log, the erasure
# tombstones, and the record of login-security changes.
AUDIT_TABLES = (
    "audit_accesslogentry",
    "audit_accesslogpupil",
    "audit_erasure",
    "accounts_securityevent",
    "careroute_routeevent",
)

_FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('{SETTING}', true) = 'on' THEN
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'hgw audit trail: % on % refused; the audit trail is append-only',
        TG_OP, TG_TABLE_NAME
        USING HINT = 'Only the retention purge may erase it (audit.protection.erasure).';
END
$$;
"""

_erasing: ContextVar[bool] = ContextVar("hgw_erasing", default=False)


class AuditTrailProtected(Exception):
    """A change or delete of the audit trail outside `erasure()` (application-level guard)."""


def is_history_model(model) -> bool:
    """A simple-history table (every one of them holds pupil data or who held a role)."""
    return model.__name__.startswith("Historical")


def protected_models(apps=global_apps) -> list:
    """Every model whose table must be append-only, from `apps` (the project, or a
    migration's state)."""
    return [
        model
        for model in apps.get_models()
        if model._meta.db_table in AUDIT_TABLES or is_history_model(model)
    ]


def protected_tables(apps=global_apps) -> list[str]:
    return sorted(model._meta.db_table for model in protected_models(apps))


def protect_tables(schema_editor, tables: Iterable[str]) -> None:
    """Install the append-only trigger on `tables` (PostgreSQL only; idempotent)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_name
    # No parameters: the function body holds % placeholders of its own (RAISE).
    schema_editor.execute(_FUNCTION_SQL, params=None)
    for table in tables:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {quote(table)}")
        schema_editor.execute(
            f"CREATE TRIGGER {TRIGGER} BEFORE UPDATE OR DELETE ON {quote(table)} "
            f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()"
        )


def protect_in_migration(tables: list[str]):
    """The migration operation that protects `tables` (and removes the protection when the
    migration is reversed)."""
    from django.db import migrations

    def protect(apps, schema_editor):
        protect_tables(schema_editor, tables)

    def unprotect(apps, schema_editor):
        unprotect_tables(schema_editor, tables)

    return migrations.RunPython(protect, unprotect)


def unprotect_tables(schema_editor, tables: Iterable[str]) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in tables:
        quoted = schema_editor.quote_name(table)
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {quoted}")


def unprotected_tables(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """The tables that must be protected but carry no trigger (PostgreSQL only)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = %s AND NOT t.tgisinternal AND t.tgenabled <> 'D'",
            [TRIGGER],
        )
        triggered = {row[0] for row in cursor.fetchall()}
    return [table for table in protected_tables() if table not in triggered]


@contextmanager
def erasure(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Let this transaction erase audit rows: for the retention purge only.

    Must run inside `transaction.atomic()`: the setting is transaction-local, so nothing
    outside the transaction (another request, a later statement) is ever let through.
    """
    connection = connections[using]
    if not connection.in_atomic_block:
        raise TransactionManagementError("erasure() needs transaction.atomic().")
    token = _erasing.set(True)
    try:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, 'on', true)", [SETTING])
        yield
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, 'off', true)", [SETTING])
    finally:
        _erasing.reset(token)


def erasing() -> bool:
    return _erasing.get()


# The application-level guard: the same rule for changes made through the ORM, on every
# database. (QuerySet.update() and raw SQL pass it; on PostgreSQL the trigger catches those.)


def _refuse_change(sender, instance, raw=False, **kwargs) -> None:
    if raw or instance._state.adding or erasing():
        return
    raise AuditTrailProtected(f"{sender._meta.db_table}: the audit trail is append-only.")


def _refuse_delete(sender, instance, **kwargs) -> None:
    if not erasing():
        raise AuditTrailProtected(f"{sender._meta.db_table}: the audit trail is append-only.")


_guarded: set = set()


def connect_guard() -> None:
    """Called once from `AuditConfig.ready()`, when every app's models exist."""
    for model in protected_models():
        pre_save.connect(_refuse_change, sender=model, dispatch_uid=f"audit-guard-save-{model}")
        pre_delete.connect(_refuse_delete, sender=model, dispatch_uid=f"audit-guard-del-{model}")
        _guarded.add(model)


def is_guarded(model) -> bool:
    return model in _guarded
