"""Writes about groups, pupils, enrolments and guardians."""

import datetime
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from pupils.models import (
    Enrolment,
    EnrolmentKind,
    Group,
    GroupTeacherAssignment,
    Guardian,
    Instrument,
    Pupil,
    TestResult,
)


@transaction.atomic
def enrol(
    *,
    pupil: Pupil,
    group: Group,
    start_date: datetime.date,
    kind: str = EnrolmentKind.MAIN,
    end_date: datetime.date | None = None,
) -> Enrolment:
    """Enrol a pupil in a group from `start_date`.

    For a main group, an open main enrolment that started earlier ends on `start_date` (the
    pupil moves; one that started that same day ends before it ever ran, and stays in the
    history as a correction); any other overlap with a main enrolment is refused.
    """
    Pupil.objects.select_for_update().get(pk=pupil.pk)
    if group.school_id != pupil.school_id:
        raise ValidationError(_("A pupil can only be enrolled in a group of their own school."))
    if kind == EnrolmentKind.MAIN:
        for current in Enrolment.objects.filter(
            pupil=pupil, kind=EnrolmentKind.MAIN, end_date__isnull=True, start_date__lte=start_date
        ):
            current.end_date = start_date
            current.save(update_fields=["end_date"])
        overlap = Enrolment.objects.filter(pupil=pupil, kind=EnrolmentKind.MAIN).filter(
            Q(end_date__isnull=True) | Q(end_date__gt=start_date)
        )
        if end_date is not None:
            overlap = overlap.filter(start_date__lt=end_date)
        if overlap.exists():
            raise ValidationError(_("The pupil is already in another main group in that period."))
    return Enrolment.objects.create(
        pupil=pupil, group=group, kind=kind, start_date=start_date, end_date=end_date
    )


@transaction.atomic
def assign_teacher(
    *,
    group: Group,
    teacher,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    is_substitute: bool = False,
) -> GroupTeacherAssignment:
    return GroupTeacherAssignment.objects.create(
        group=group,
        teacher=teacher,
        start_date=start_date,
        end_date=end_date,
        is_substitute=is_substitute,
    )


@transaction.atomic
def record_result(
    *,
    pupil: Pupil,
    instrument: Instrument,
    date_taken: datetime.date,
    score=None,
    level: str = "",
    moment: str = "",
    by=None,
) -> TestResult:
    """Record a result entered by hand."""
    return TestResult.objects.create(
        pupil=pupil,
        instrument=instrument,
        date_taken=date_taken,
        score=score,
        level=level,
        moment=moment.strip().upper(),
        entered_by=by,
    )


# Guardians --------------------------------------------------------------------------------

# Called as hook(pupil=..., by=...) after a pupil's guardians were added or changed, in the
# same transaction. Apps above pupils register here in their AppConfig.ready, because pupils
# may not import them: careroute (`careroute.cases.on_guardian_changed`) takes the pupil off
# care-team agendas when a guardian with parental authority has not consented (yet).
GUARDIAN_CHANGED: list[Callable[..., None]] = []


def guardians_changed(*, pupil: Pupil, by) -> None:
    """Run the GUARDIAN_CHANGED hooks for `pupil` (the CSV import calls this once per pupil)."""
    for hook in GUARDIAN_CHANGED:
        hook(pupil=pupil, by=by)


@transaction.atomic
def save_guardian(*, guardian: Guardian, by) -> Guardian:
    """Save a guardian added or edited by hand, then let the apps that depend on who holds
    parental authority follow (GUARDIAN_CHANGED)."""
    # The pupil's row is also the lock under which consent is recorded.
    pupil = Pupil.objects.select_for_update().get(pk=guardian.pupil_id)
    guardian.save()
    guardians_changed(pupil=pupil, by=by)
    return guardian
