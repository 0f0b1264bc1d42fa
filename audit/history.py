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
from contextvars import ContextVar
from types import SimpleNamespace

from simple_history.models import HistoricalRecords

# Set only by `history_off()`, i.e. by the retention purge (see `pupils.retention`).
_history_off: ContextVar[bool] = ContextVar("hgw_history_off", default=False)


class Stale(Exception):
    """A versioned save refused: someone else saved the record after the person opened it
    (their `version` is behind). `current` is the record as it is now, for the page that shows
    both versions (answered 409). Each app names its own (`StaleIHP`, `StaleRow`, ...)."""

    def __init__(self, current):
        super().__init__(f"stale {type(current).__name__}")
        self.current = current


class PupilHistoricalRecords(HistoricalRecords):
    """simple-history's recorder, with a switch the erasure can turn off for its own thread.

    simple-history 3.13 has no per-call way to skip the revision a delete writes:
    `skip_history_when_saving` covers saves only, and `SIMPLE_HISTORY_ENABLED` is a
    process-wide setting (other requests would lose their history while it is off).
    """

    def post_save(self, instance, created, using=None, **kwargs):
        if not _history_off.get():
            super().post_save(instance, created, using=using, **kwargs)

    def post_delete(self, instance, using=None, **kwargs):
        if not _history_off.get():
            super().post_delete(instance, using=using, **kwargs)


def pupil_history() -> PupilHistoricalRecords:
    # Historical rows outlive the record: deleting pupil data is the retention purge's job,
    # which erases history deliberately.
    return PupilHistoricalRecords(cascade_delete_history=False)


@contextmanager
def history_off() -> Iterator[None]:
    """Write no revisions of pupil data inside the block (this thread or task only).

    For the retention purge alone: erasing a pupil must not leave a revision holding the
    very record it erases.
    """
    token = _history_off.set(True)
    try:
        yield
    finally:
        _history_off.reset(token)


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
