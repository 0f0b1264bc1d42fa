"""Writes about group overviews: create (pre-filled), save a row, decide on a suggestion,
send to the IB, mark discussed."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.history import Stale
from groupplans.models import (
    ROW_FIELDS,
    GroupOverview,
    OverviewRow,
    OverviewStatus,
    PlanStatus,
    SignalDecision,
    SuggestionDecision,
)
from groupplans.outcomes import summaries_for_plan
from pupils.models import Enrolment, Group
from schools.models import Period

# What a new period's row takes over from the pupil's previous row (the handover): all text
# and the signal; decisions on suggestions belong to the results of that earlier period.
CARRIED_FIELDS = ROW_FIELDS


def enrolments_in_period(group: Group, period: Period):
    """The enrolments in the group that overlap the period (half-open ranges)."""
    return Enrolment.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gt=period.start_date),
        group=group,
        start_date__lte=period.end_date,
    )


def _previous_rows(pupil_ids, before: datetime.date) -> dict[int, OverviewRow]:
    """Each pupil's latest row in an overview of an earlier period, in any group."""
    rows = (
        OverviewRow.objects.filter(pupil_id__in=pupil_ids, overview__period__start_date__lt=before)
        .select_related("overview__period", "overview__plan")
        .order_by("pupil_id", "-overview__period__start_date", "-pk")
    )
    latest: dict[int, OverviewRow] = {}
    for row in rows:
        latest.setdefault(row.pupil_id, row)
    return latest


def _evaluations(rows: list[OverviewRow]) -> dict[int, str]:
    """Per pupil, the evaluation of the plan made from the overview of their earlier row."""
    plans: dict[int, list[int]] = {}
    for row in rows:
        plan = getattr(row.overview, "plan", None)
        if plan is not None and plan.status == PlanStatus.EVALUATED:
            plans.setdefault(plan.pk, []).append(row.pupil_id)
    found: dict[int, str] = {}
    for plan_id, pupil_ids in plans.items():
        found.update(summaries_for_plan(plan_id, pupil_ids))
    return found


def _add_rows(overview: GroupOverview, pupil_ids, by) -> None:
    previous = _previous_rows(pupil_ids, overview.period.start_date)
    # The outcomes of the previous period's plan become the specific educational needs.
    evaluated = _evaluations(list(previous.values()))
    for pupil_id in pupil_ids:
        row = OverviewRow(overview=overview, pupil_id=pupil_id, updated_by=by)
        earlier = previous.get(pupil_id)
        if earlier is not None:
            for name in CARRIED_FIELDS:
                setattr(row, name, getattr(earlier, name))
            row.carried_from = earlier
        if pupil_id in evaluated:
            row.specific_needs = evaluated[pupil_id]
        row.save()


@transaction.atomic
def create_overview(*, group: Group, period: Period, by) -> GroupOverview:
    """A new overview with a row per pupil enrolled in the group during the period, each
    pre-filled from the pupil's previous row (also when that was in another group)."""
    if period.school_id != group.school_id or period.school_year_id != group.school_year_id:
        raise ValidationError(_("This period is not in the school year of this group."))
    if GroupOverview.objects.filter(group=group, period=period).exists():
        raise ValidationError(_("This group already has an overview for this period."))
    overview = GroupOverview.objects.create(group=group, period=period, created_by=by)
    pupil_ids = sorted(set(enrolments_in_period(group, period).values_list("pupil_id", flat=True)))
    _add_rows(overview, pupil_ids, by)
    return overview


def add_missing_rows(overview: GroupOverview, by) -> int:
    """Rows for pupils who joined the group after the overview was made; returns how many."""
    have = overview.rows.values("pupil_id")
    missing = sorted(
        set(
            enrolments_in_period(overview.group, overview.period)
            .exclude(pupil_id__in=have)
            .values_list("pupil_id", flat=True)
        )
    )
    if overview.is_locked or not missing:
        return 0
    with transaction.atomic():
        _add_rows(overview, missing, by)
    return len(missing)


class StaleRow(Stale):
    """Someone else saved the row after the person opened it."""


@transaction.atomic
def save_row(*, row: OverviewRow, values: dict, seen_version: int, by) -> OverviewRow:
    """Save the fields in `values` over the version the person saw, or raise StaleRow."""
    current = OverviewRow.objects.select_for_update().get(pk=row.pk)
    if current.overview.is_locked:
        raise ValidationError(_("This overview has been discussed and can no longer be changed."))
    if current.version != seen_version:
        raise StaleRow(current)
    changed = [name for name in values if getattr(current, name) != values[name]]
    if not changed:
        return current
    for name in changed:
        setattr(current, name, values[name])
    return save_new_version(current, by)


def save_new_version(row, by):
    """Save a changed record (an overview row, a plan's section, subgroup or placement) as a
    new version, so saves made over the old one are refused."""
    row.version += 1
    row.updated_by = by
    row.save()
    return row


@transaction.atomic
def decide_suggestion(
    *, row: OverviewRow, key: str, suggestion: str, decision: str, reason: str, by
) -> OverviewRow:
    """Confirm a suggested signal (the pupil is signalled, the suggestion becomes part of the
    reason) or dismiss it with a reason. A suggestion is decided once."""
    current = OverviewRow.objects.select_for_update().get(pk=row.pk)
    if current.overview.is_locked:
        raise ValidationError(_("This overview has been discussed and can no longer be changed."))
    if decision == SignalDecision.DISMISSED and not reason.strip():
        raise ValidationError(_("Say why this suggestion does not apply."))
    if current.decisions.filter(key=key).exists():
        raise ValidationError(_("This suggestion has already been decided."))
    SuggestionDecision.objects.create(
        row=current,
        key=key,
        suggestion=suggestion,
        decision=decision,
        reason=reason.strip(),
        decided_by=by,
    )
    if decision == SignalDecision.CONFIRMED:
        current.signalled = True
        lines = [line for line in current.signal_reason.splitlines() if line.strip()]
        if suggestion not in lines:
            lines.append(suggestion)
        current.signal_reason = "\n".join(lines)
        current = save_new_version(current, by)
    return current


@transaction.atomic
def send_overview(
    *, overview: GroupOverview, questions: str, by, notify: bool = True
) -> GroupOverview:
    """The teacher's preparation for the group meeting: the overview goes to the IB with
    questions and points for discussion; the IBs of the school get an e-mail (no pupil data)."""
    from groupplans.tasks import notify_overview_sent

    current = GroupOverview.objects.select_for_update().get(pk=overview.pk)
    if current.status != OverviewStatus.DRAFT:
        raise ValidationError(_("This overview has already been sent."))
    current.status = OverviewStatus.SENT
    current.questions = questions.strip()
    current.sent_by = by
    current.sent_at = timezone.now()
    current.save()
    if notify:
        transaction.on_commit(lambda: notify_overview_sent.enqueue(overview_id=current.pk))
    return current


@transaction.atomic
def mark_discussed(*, overview: GroupOverview, by) -> GroupOverview:
    """The group meeting discussed the overview; from now on it is the record of it."""
    current = GroupOverview.objects.select_for_update().get(pk=overview.pk)
    if current.status != OverviewStatus.SENT:
        raise ValidationError(_("Only an overview sent to the care coordinator can be discussed."))
    current.status = OverviewStatus.DISCUSSED
    current.discussed_at = timezone.now()
    current.save()
    return current
