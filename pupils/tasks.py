"""Background work of pupils: imports are applied by the worker, not in the request."""

from django.tasks import task


@task
def apply_import(*, record_id: int) -> None:
    from pupils.imports import apply_record

    apply_record(record_id)


@task
def list_expired_pupils() -> dict[str, int]:
    """Tell each school's IB how many pupils' retention period has passed (no names: the
    e-mail links to the retention page, where the IB checks them and confirms). Erases
    nothing. Returns the count per school (BRIN)."""
    from pupils.retention import notify_expired

    return notify_expired()
