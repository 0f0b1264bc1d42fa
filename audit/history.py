"""The revision history every model holding pupil data declares.

    class Pupil(models.Model):
        ...
        history = pupil_history()

simple-history writes a historical row (who, when, the full record) on every save and
delete made through the ORM; `simple_history.middleware.HistoryRequestMiddleware` supplies
who. `QuerySet.update()` and bulk writes bypass it: never use them on these models.
"""

from simple_history.models import HistoricalRecords


def pupil_history() -> HistoricalRecords:
    # Historical rows outlive the record: deleting pupil data is the retention purge's job,
    # which erases history deliberately.
    return HistoricalRecords(cascade_delete_history=False)
