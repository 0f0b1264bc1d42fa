"""Writes of the pupil meeting's registrations (aanmeldingen) and their way onto an agenda.

A registration starts as a draft that its teacher (or the IB on their behalf) may edit and
withdraw; once submitted it is locked for good: evidence of what was asked. The IB attaches a
submitted registration to a pupil meeting; that makes the pupil's item, with the growth
document pre-filled from what hgw holds (the overview, the plan, the results).

Detaching: an item can be taken off a pupil meeting that is not signed off only while its
minutes are the pre-fill (the item's version is still 1: nobody has saved it). Once the IB
has written in the growth document, the item is the meeting's record and stays; the
registration then waits for nothing else.

Submitting is also the care route's step from level 1 to level 2, and the route sits above
meetings: the pages submit through `submit`, which calls the submitter the care route
registers when it is ready (careroute.registration_step, registered in careroute/apps.py),
so the registration and the step are one transaction. `submit_registration` is the submit
alone.
"""

import datetime
from collections.abc import Callable, Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from audit.history import Stale
from groupplans.models import OverviewRow, Placement
from meetings import actions
from meetings.models import (
    Attendee,
    Meeting,
    MeetingItem,
    MeetingKind,
    Registration,
)
from pupils.models import Enrolment, GroupTeacherAssignment, Pupil, TestResult

# What a person writes in a registration.
REGISTRATION_FIELDS = ["question", "tried", "going_well"]

# How many tests the pre-fill summarises (the latest result of each).
RESULTS_SUMMARISED = 5


class StaleRegistration(Stale):
    """Someone else saved the registration after the person opened it."""


def _clean(values: Mapping) -> dict:
    unknown = set(values) - set(REGISTRATION_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be saved here."))
    return {name: str(values[name]).strip() for name in REGISTRATION_FIELDS if name in values}


def _check_draft(registration: Registration) -> None:
    if registration.is_submitted:
        raise ValidationError(
            _("This registration has been submitted; it can no longer be changed.")
        )


@transaction.atomic
def start_registration(
    *, pupil: Pupil, question: str = "", tried: str = "", going_well: str = "", by
) -> Registration:
    """A draft registration of `pupil` for a pupil meeting."""
    values = _clean({"question": question, "tried": tried, "going_well": going_well})
    return Registration.objects.create(school=pupil.school, pupil=pupil, created_by=by, **values)


@transaction.atomic
def save_registration(
    *, registration: Registration, values: Mapping, seen_version: int, by
) -> Registration:
    """Save a draft over the version the person saw, or raise StaleRegistration; a submitted
    registration is refused."""
    current = Registration.objects.select_for_update().get(pk=registration.pk)
    _check_draft(current)
    if current.version != seen_version:
        raise StaleRegistration(current)
    cleaned = _clean(values)
    changed = [name for name, value in cleaned.items() if getattr(current, name) != value]
    if not changed:
        return current
    for name in changed:
        setattr(current, name, cleaned[name])
    current.version += 1
    current.save()
    return current


@transaction.atomic
def submit_registration(*, registration: Registration, by) -> Registration:
    """Submit a draft: the question for help and what has been tried are required. From now
    on the registration is locked."""
    current = Registration.objects.select_for_update().get(pk=registration.pk)
    _check_draft(current)
    problems = []
    if not current.question.strip():
        problems.append(_("Write the question for help."))
    if not current.tried.strip():
        problems.append(_("Write what has been tried."))
    if problems:
        raise ValidationError(problems)
    current.submitted_by = by
    current.submitted_at = timezone.now()
    current.version += 1
    current.save()
    return current


# The submitter registered by an app above meetings: (registration, by, today) ->
# (registration, a line for the person or ""). None: the submit alone.
_submitter: Callable[..., tuple[Registration, str]] | None = None


def set_submitter(submitter: Callable[..., tuple[Registration, str]] | None) -> None:
    global _submitter
    _submitter = submitter


@transaction.atomic
def submit(
    *, registration: Registration, by, today: datetime.date | None = None
) -> tuple[Registration, str]:
    """Submit a draft through the registered submitter (the care route: and take the step to
    level 2). Returns the registration and what else happened, for the person ("": nothing)."""
    if _submitter is None:
        return submit_registration(registration=registration, by=by), ""
    return _submitter(registration=registration, by=by, today=today)


@transaction.atomic
def withdraw_registration(*, registration: Registration, by) -> None:
    """Delete a draft (the history keeps its revisions); a submitted one stays."""
    current = Registration.objects.select_for_update().get(pk=registration.pk)
    if current.is_submitted:
        raise ValidationError(_("A submitted registration cannot be withdrawn."))
    current.delete()


# The agenda of a pupil meeting -------------------------------------------------------------


def _check_pupil_agenda(meeting: Meeting) -> None:
    actions._check_agenda(meeting, MeetingKind.PUPIL, _("Registrations go onto a pupil meeting."))


def current_teachers(pupil: Pupil, day: datetime.date) -> list:
    """The teachers of the groups `pupil` is in on `day`, in a stable order."""
    groups = Enrolment.objects.running_on(day).filter(pupil=pupil).values("group_id")
    running = Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gt=day))
    assignments = (
        GroupTeacherAssignment.objects.filter(running, group__in=groups)
        .select_related("teacher")
        .order_by("start_date", "pk")
    )
    seen: dict[int, object] = {}
    for assignment in assignments:
        seen.setdefault(assignment.teacher_id, assignment.teacher)
    return list(seen.values())


@transaction.atomic
def attach_registration(*, meeting: Meeting, registration: Registration, by) -> MeetingItem:
    """Put a submitted registration on a planned or held pupil meeting of its school: the
    pupil's item, last on the agenda, with the growth document pre-filled. The pupil's
    current teachers attend the meeting (so they read their pupil's item)."""
    current = Meeting.objects.select_for_update(of=("self",)).get(pk=meeting.pk)
    _check_pupil_agenda(current)
    found = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("pupil")
        .get(pk=registration.pk)
    )
    if found.school_id != current.school_id:
        raise ValidationError(_("The registration is not of this school."))
    if not found.is_submitted:
        raise ValidationError(_("Only a submitted registration can be put on the agenda."))
    if MeetingItem.objects.filter(registration=found).exists():
        raise ValidationError(_("This registration is already on an agenda."))
    if current.items.filter(pupil_id=found.pupil_id).exists():
        raise ValidationError(_("This pupil is already on the agenda."))
    last = current.items.aggregate(last=Max("position"))["last"] or 0
    try:
        with transaction.atomic():
            item = MeetingItem.objects.create(
                meeting=current,
                pupil=found.pupil,
                position=last + 1,
                registration=found,
                created_by=by,
                **growth_prefill(found),
            )
    except IntegrityError:
        raise ValidationError(_("This pupil is already on the agenda.")) from None
    for teacher in current_teachers(found.pupil, timezone.localdate()):
        Attendee.objects.get_or_create(meeting=current, user=teacher)
    return item


def is_untouched(item: MeetingItem) -> bool:
    """Nobody has saved the item's minutes since the pre-fill."""
    return item.version == 1


@transaction.atomic
def detach_item(*, item: MeetingItem, by) -> Registration | None:
    """Take a pupil off a pupil meeting that is not signed off, while the item's minutes are
    still the pre-fill; the registration waits again. Returns the registration."""
    meeting = Meeting.objects.select_for_update(of=("self",)).get(pk=item.meeting_id)
    _check_pupil_agenda(meeting)
    current = MeetingItem.objects.select_for_update(of=("self",)).get(pk=item.pk)
    if not is_untouched(current):
        raise ValidationError(
            _(
                "The growth document of this pupil has been written in; the pupil stays on "
                "the agenda."
            )
        )
    if current.action_points.exists() or current.addenda.exists():
        raise ValidationError(
            _("This pupil has actions on this meeting; the pupil stays on the agenda.")
        )
    registration = current.registration
    current.delete()
    return registration


# The growth document's pre-fill ------------------------------------------------------------


def _join(*parts: str) -> str:
    return "\n".join(part for part in parts if part)


def latest_overview_row(pupil: Pupil) -> OverviewRow | None:
    return (
        OverviewRow.objects.filter(pupil=pupil)
        .select_related("overview__period")
        .order_by("-overview__period__start_date", "-pk")
        .first()
    )


def latest_placements(pupil: Pupil) -> list[Placement]:
    """The pupil's places in their latest group plan: one per area."""
    latest = (
        Placement.objects.filter(pupil=pupil)
        .order_by("-section__plan__period__start_date", "-section__plan_id")
        .values_list("section__plan_id", flat=True)
        .first()
    )
    if latest is None:
        return []
    return list(
        Placement.objects.filter(pupil=pupil, section__plan_id=latest)
        .select_related("section__area", "subgroup", "section__plan__period")
        .order_by("section__position", "section__pk")
    )


def latest_results(pupil: Pupil) -> list[TestResult]:
    """The latest result of each instrument, newest first (at most RESULTS_SUMMARISED)."""
    latest: dict[int, TestResult] = {}
    for result in (
        TestResult.objects.filter(pupil=pupil)
        .select_related("instrument")
        .order_by("-date_taken", "-pk")
    ):
        latest.setdefault(result.instrument_id, result)
        if len(latest) == RESULTS_SUMMARISED:
            break
    return list(latest.values())


def _result_text(result: TestResult) -> str:
    parts = [result.instrument.name]
    if result.moment:
        parts.append(result.moment)
    text = " ".join(parts) + f" ({date_format(result.date_taken, 'SHORT_DATE_FORMAT')})"
    measures = []
    if result.score is not None:
        measures.append(_("score %(score)s") % {"score": f"{result.score.normalize():f}"})
    if result.level:
        measures.append(_("level %(level)s") % {"level": result.level})
    return f"{text}: {', '.join(measures)}"


def growth_prefill(registration: Registration) -> dict:
    """Step 1 and step 3 of the growth document from what hgw holds on the pupil: the
    registration, the latest overview row (stimulating and hindering factors), the places
    in the latest group plan and the latest results. In the person's language, short."""
    pupil = registration.pupil
    row = latest_overview_row(pupil)
    going_well = [registration.going_well]
    difficult = []
    if row is not None:
        if row.stimulating:
            going_well.append(
                _("From the group overview (stimulating factors): %(text)s")
                % {"text": row.stimulating}
            )
        if row.hindering:
            difficult.append(
                _("From the group overview (hindering factors): %(text)s") % {"text": row.hindering}
            )
        if row.signalled and row.signal_reason:
            difficult.append(_("Signalled: %(text)s") % {"text": row.signal_reason})
    know = []
    placements = latest_placements(pupil)
    if placements:
        places = "; ".join(
            f"{placement.section.area.name}: {placement.subgroup.title}" for placement in placements
        )
        know.append(
            _("Group plan %(period)s: %(places)s.")
            % {"period": placements[0].section.plan.period, "places": places}
        )
    results = latest_results(pupil)
    if results:
        know.append(
            _("Latest results: %(results)s.")
            % {"results": "; ".join(_result_text(result) for result in results)}
        )
    return {
        "going_well": _join(*going_well),
        "difficult": _join(*difficult),
        "know_enough": _join(*know),
    }
