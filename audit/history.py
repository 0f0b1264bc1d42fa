"""The revision history every model holding pupil data declares.

    class Pupil(models.Model):
        ...
        history = pupil_history()

simple-history writes a historical row (who, when, the full record) on every save and
delete made through the ORM; `simple_history.middleware.HistoryRequestMiddleware` supplies
who. `QuerySet.update()` and bulk writes bypass it: never use them on these models.
"""

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from types import SimpleNamespace

from simple_history.models import HistoricalRecords


def pupil_history() -> HistoricalRecords:
    # Historical rows outlive the record: deleting pupil data is the retention purge's job,
    # which erases history deliberately.
    return HistoricalRecords(cascade_delete_history=False)


@contextmanager
def acting_as(user) -> Iterator[None]:
    """Attribute the revisions written inside the block to `user`.

    In a request, simple-history's middleware supplies the user; background tasks and
    management commands have no request, so they say who they act for here.
    """
    context = HistoricalRecords.context
    previous = getattr(context, "request", None)
    context.request = SimpleNamespace(user=user) if user is not None else None
    try:
        yield
    finally:
        if previous is None:
            with suppress(AttributeError):
                del context.request
        else:
            context.request = previous
