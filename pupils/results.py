"""Reading a pupil's test results: per instrument, in order, with the change since the last."""

from dataclasses import dataclass
from decimal import Decimal

from pupils.models import Instrument, SubjectArea, TestResult


@dataclass(frozen=True)
class ResultRow:
    result: TestResult
    score_change: Decimal | None  # against the previous result on the same instrument
    level_change: int | None  # > 0: a better level, < 0: a worse one (whatever the scale)


@dataclass(frozen=True)
class InstrumentResults:
    instrument: Instrument
    rows: list[ResultRow]  # oldest first

    @property
    def latest(self) -> ResultRow:
        return self.rows[-1]

    @property
    def has_scores(self) -> bool:
        return any(row.result.score is not None for row in self.rows)


def results_by_instrument(results: list[TestResult]) -> list[InstrumentResults]:
    """Group results (with their instrument loaded) per instrument, in subject order."""
    grouped: dict[int, list[TestResult]] = {}
    instruments: dict[int, Instrument] = {}
    for result in sorted(results, key=lambda r: (r.date_taken, r.pk)):
        grouped.setdefault(result.instrument_id, []).append(result)
        instruments[result.instrument_id] = result.instrument
    out = []
    for instrument_id, series in grouped.items():
        instrument = instruments[instrument_id]
        rows, previous = [], None
        for result in series:
            rows.append(
                ResultRow(
                    result=result,
                    score_change=_score_change(previous, result),
                    level_change=_level_change(instrument, previous, result),
                )
            )
            previous = result
        out.append(InstrumentResults(instrument=instrument, rows=rows))
    order = {subject: n for n, subject in enumerate(SubjectArea.values)}
    return sorted(out, key=lambda r: (order.get(r.instrument.subject, 99), r.instrument.name))


def _score_change(previous: TestResult | None, result: TestResult) -> Decimal | None:
    if previous is None or previous.score is None or result.score is None:
        return None
    return result.score - previous.score


def _level_change(
    instrument: Instrument, previous: TestResult | None, result: TestResult
) -> int | None:
    if previous is None:
        return None
    before, now = instrument.level_rank(previous.level), instrument.level_rank(result.level)
    if before is None or now is None:
        return None
    return now - before
