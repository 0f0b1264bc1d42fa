"""Background work of pupils: imports are applied by the worker, not in the request."""

from django.tasks import task


@task
def apply_import(*, record_id: int) -> None:
    from pupils.imports import apply_record

    apply_record(record_id)
