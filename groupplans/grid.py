"""Everything the overview's grid (and its print, PDF and XLSX forms) shows, in a fixed
number of queries whatever the number of pupils."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q

from groupplans.actions import enrolments_in_period
from groupplans.models import SOURCE_FIELDS, GroupOverview, OverviewRow, SuggestionDecision
from groupplans.signals import Suggestion, rules_for, suggest
from pupils.models import PupilLogEntry, TestResult
from pupils.results import InstrumentResults, results_by_instrument

# Results older than this (before the period's end) are history, not the pupil's current
# picture: they are not shown in the grid and raise no signal (e.g. kindergarten tests in
# grade 5).
RECENT = datetime.timedelta(days=365)

# How many pupil-log entries of one kind a cell shows (the rest: "n more" in the log).
LOG_ENTRIES_SHOWN = 3


@dataclass
class GridRow:
    row: OverviewRow
    left_on: datetime.date | None  # the last day in the group, if the pupil left
    results: list[InstrumentResults]
    log: dict[str, list] = field(default_factory=dict)  # pupil-log kind -> entries shown
    log_more: dict[str, int] = field(default_factory=dict)  # kind -> entries not shown
    suggestions: list[Suggestion] = field(default_factory=list)  # not yet decided
    decisions: list[SuggestionDecision] = field(default_factory=list)

    @property
    def pupil(self):
        return self.row.pupil

    @property
    def has_left(self) -> bool:
        return self.left_on is not None

    def sources(self) -> list[tuple[str, str, list, int]]:
        """(field name, label, log entries, entries not shown) per source column."""
        return [
            (name, label, self.log.get(kind, []) if kind else [], self.log_more.get(kind, 0))
            for name, label, kind in SOURCE_FIELDS
        ]


def _recent(results: list[TestResult], period) -> list[InstrumentResults]:
    """The results per test, leaving out tests not taken in the year before the period's end."""
    return [
        item
        for item in results_by_instrument(results)
        if item.latest.result.date_taken > period.end_date - RECENT
    ]


def open_suggestions(overview: GroupOverview, row: OverviewRow) -> list[Suggestion]:
    """The suggestions still open on one row, as `build` finds them, without the rest of the
    group (for deciding on one)."""
    results = TestResult.objects.filter(
        pupil_id=row.pupil_id, date_taken__lte=overview.period.end_date
    ).select_related("instrument")
    decided = set(
        SuggestionDecision.objects.filter(
            row_id__in=[pk for pk in (row.pk, row.carried_from_id) if pk]
        ).values_list("key", flat=True)
    )
    series = _recent(list(results), overview.period)
    return [s for s in suggest(series, rules_for(overview.group.school)) if s.key not in decided]


def build(overview: GroupOverview) -> list[GridRow]:
    period = overview.period
    rows = list(
        overview.rows.select_related(
            "pupil", "updated_by", "carried_from__overview__group", "carried_from__overview__period"
        )
    )
    pupil_ids = [row.pupil_id for row in rows]

    # The last day in this group, for pupils whose enrolments here all ended in the period.
    last_days: dict[int, datetime.date | None] = {}
    for enrolment in enrolments_in_period(overview.group, period):
        running = enrolment.end_date is None or enrolment.end_date > period.end_date
        known = last_days.get(enrolment.pupil_id, datetime.date.min)
        if running:
            last_days[enrolment.pupil_id] = None
        elif known is not None:
            last_days[enrolment.pupil_id] = max(known, enrolment.last_day)

    results: dict[int, list[TestResult]] = {}
    for result in TestResult.objects.filter(
        pupil_id__in=pupil_ids, date_taken__lte=period.end_date
    ).select_related("instrument"):
        results.setdefault(result.pupil_id, []).append(result)

    since = period.school_year.start_date
    log: dict[int, dict[str, list]] = {}
    for entry in PupilLogEntry.objects.for_pupils(pupil_ids, until=period.end_date):
        if entry.kind != "handover" and entry.date < since:
            continue
        log.setdefault(entry.pupil_id, {}).setdefault(entry.kind, []).append(entry)

    # Decisions on this overview's rows, and on the rows they continued from: a suggestion
    # raised by the same result was decided then and is not asked again.
    carried = {row.carried_from_id: row.pk for row in rows if row.carried_from_id}
    decisions: dict[int, list[SuggestionDecision]] = {}
    earlier: dict[int, set[str]] = {}
    for decision in SuggestionDecision.objects.filter(
        Q(row__overview=overview) | Q(row_id__in=carried)
    ).order_by("pk"):
        if decision.row_id in carried:
            earlier.setdefault(carried[decision.row_id], set()).add(decision.key)
        else:
            decisions.setdefault(decision.row_id, []).append(decision)

    rules = rules_for(overview.group.school)
    grid = []
    for row in rows:
        series = _recent(results.get(row.pupil_id, []), period)
        decided = {d.key for d in decisions.get(row.pk, [])} | earlier.get(row.pk, set())
        entries = log.get(row.pupil_id, {})
        grid.append(
            GridRow(
                row=row,
                left_on=last_days.get(row.pupil_id),
                results=series,
                log={kind: items[:LOG_ENTRIES_SHOWN] for kind, items in entries.items()},
                log_more={
                    kind: len(items) - LOG_ENTRIES_SHOWN
                    for kind, items in entries.items()
                    if len(items) > LOG_ENTRIES_SHOWN
                },
                suggestions=[s for s in suggest(series, rules) if s.key not in decided],
                decisions=decisions.get(row.pk, []),
            )
        )
    grid.sort(key=lambda g: (g.has_left, g.pupil.sort_key))
    return grid
