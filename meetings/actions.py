"""Writes of the year plan: planning, rescheduling and cancelling meetings, and the care
route's way onto a care-team agenda (`add_care_team_item`, `remove_care_team_item`)."""

import datetime
import secrets
from collections.abc import Callable, Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.history import Stale
from meetings.models import (
    CHECKLIST,
    DEFAULT_DURATION,
    ITEM_FIELDS,
    MINUTES_FIELDS,
    Addendum,
    Attendee,
    CalendarFeed,
    ItemOutcome,
    Meeting,
    MeetingItem,
    MeetingKind,
    MeetingStatus,
    Minutes,
    Preparation,
    hash_token,
)
from pupils.models import Group, Pupil
from schools.models import Period, School, SchoolYear


class StaleMeeting(Stale):
    """Someone else changed the meeting after the person opened it."""


class StaleMinutes(Stale):
    """Someone else saved the minutes, the preparation or an item's minutes after the person
    opened them."""


# Dates -------------------------------------------------------------------------------------


def weekdays_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    days = (last - first).days + 1
    found = (first + datetime.timedelta(days=n) for n in range(max(days, 0)))
    return [day for day in found if day.weekday() < 5]


def default_group_meeting_dates(period: Period, groups: list[Group]) -> dict[int, datetime.date]:
    """A date per group (by id), spread over the weekdays of the period's last three weeks."""
    first = max(period.start_date, period.end_date - datetime.timedelta(days=20))
    days = weekdays_between(first, period.end_date) or [period.end_date]
    if not groups:
        return {}
    return {
        group.pk: days[min(len(days) - 1, index * len(days) // len(groups))]
        for index, group in enumerate(groups)
    }


def care_team_dates(school_year: SchoolYear, count: int, weekday: int) -> list[datetime.date]:
    """`count` dates on `weekday` (0 Monday), spread evenly over the school year: the first
    such weekday from the middle of each of `count` equal parts (so not in the first days of
    August, when the school is still on holiday). Dates past the year's end are left out, and
    no date twice."""
    span = (school_year.end_date - school_year.start_date).days + 1
    dates: list[datetime.date] = []
    for index in range(count):
        middle = (2 * index + 1) * span // (2 * count)
        start = school_year.start_date + datetime.timedelta(days=middle)
        day = start + datetime.timedelta(days=(weekday - start.weekday()) % 7)
        if day <= school_year.end_date and day not in dates:
            dates.append(day)
    return dates


# Planning ----------------------------------------------------------------------------------


def _teachers_on(group: Group, day: datetime.date) -> list:
    return [
        assignment.teacher
        for assignment in group.assignments.select_related("teacher").order_by("start_date", "pk")
        if assignment.is_running_on(day)
    ]


def _attend(meeting: Meeting, users: Iterable) -> None:
    seen = set()
    for user in users:
        if user.pk not in seen:
            seen.add(user.pk)
            Attendee.objects.create(meeting=meeting, user=user)


def _check_date(school_year: SchoolYear | None, day: datetime.date) -> None:
    if school_year is not None and not (school_year.start_date <= day <= school_year.end_date):
        raise ValidationError(
            _("The date falls outside school year %(year)s.") % {"year": school_year.name}
        )


@transaction.atomic
def plan_meeting(
    *,
    school: School,
    kind: str,
    date: datetime.date,
    by,
    start_time: datetime.time | None = None,
    duration_minutes: int | None = None,
    location: str = "",
    group: Group | None = None,
    period: Period | None = None,
) -> Meeting:
    """Put one meeting in the year plan. The IB who plans it attends; a group meeting also
    has the group's teachers of that day."""
    if kind not in MeetingKind.values:
        raise ValidationError(_("Choose a kind of meeting."))
    if kind == MeetingKind.GROUP:
        if group is None or period is None:
            raise ValidationError(_("A group meeting needs a group and a period."))
        if group.school_id != school.pk or period.school_id != school.pk:
            raise ValidationError(_("The group and the period must be of this school."))
        if group.school_year_id != period.school_year_id:
            raise ValidationError(_("The group and the period must be of the same school year."))
        if Meeting.objects.filter(kind=kind, group=group, period=period).exists():
            raise ValidationError(
                _("%(group)s already has a group meeting in this period.") % {"group": group.name}
            )
        _check_date(period.school_year, date)
    else:
        group = period = None
        _check_date(SchoolYear.current(date), date)
    meeting = Meeting.objects.create(
        school=school,
        kind=kind,
        date=date,
        start_time=start_time,
        duration_minutes=duration_minutes or DEFAULT_DURATION[kind],
        location=location,
        group=group,
        period=period,
        created_by=by,
    )
    teachers = _teachers_on(group, date) if group is not None else []
    _attend(meeting, [by, *teachers])
    return meeting


@transaction.atomic
def plan_group_meetings(
    *,
    school: School,
    period: Period,
    date_for: Callable[[Group], datetime.date | None] | Mapping,
    by,
    start_time: datetime.time | None = None,
) -> list[Meeting]:
    """A group meeting for every group of the period's school year that has none in this
    period yet, on the date the IB chose for it (`date_for(group)`, or a mapping from group
    or group id to date; a group without a date is left out)."""
    if period.school_id != school.pk:
        raise ValidationError(_("The period must be of this school."))
    planned = Meeting.objects.filter(kind=MeetingKind.GROUP, period=period).values("group_id")
    groups = (
        Group.objects.for_school(school)
        .in_year(period.school_year)
        .exclude(pk__in=planned)
        .ordered()
    )
    made = []
    for group in groups:
        day = date_for(group) if callable(date_for) else date_for.get(group, date_for.get(group.pk))
        if day is None:
            continue
        made.append(
            plan_meeting(
                school=school,
                kind=MeetingKind.GROUP,
                date=day,
                start_time=start_time,
                group=group,
                period=period,
                by=by,
            )
        )
    return made


@transaction.atomic
def plan_care_team_meetings(
    *,
    school: School,
    school_year: SchoolYear,
    count: int,
    weekday: int,
    start_time: datetime.time | None,
    by,
    location: str = "",
) -> list[Meeting]:
    """`count` care-team meetings spread evenly over the school year on one weekday; a date
    that already has a care-team meeting of the school gets no second one."""
    if not 1 <= count <= 20:
        raise ValidationError(_("Plan between 1 and 20 care-team meetings."))
    taken = set(
        Meeting.objects.for_school(school)
        .of_kind(MeetingKind.CARE_TEAM)
        .between(school_year.start_date, school_year.end_date)
        .values_list("date", flat=True)
    )
    return [
        plan_meeting(
            school=school,
            kind=MeetingKind.CARE_TEAM,
            date=day,
            start_time=start_time,
            location=location,
            by=by,
        )
        for day in care_team_dates(school_year, count, weekday)
        if day not in taken
    ]


def _check_planned(meeting: Meeting) -> None:
    if meeting.status != MeetingStatus.PLANNED:
        raise ValidationError(_("This meeting has been held; it can no longer be moved."))


@transaction.atomic
def reschedule(
    *,
    meeting: Meeting,
    date: datetime.date,
    start_time: datetime.time | None,
    location: str,
    seen_version: int,
    by,
) -> Meeting:
    """Move a planned meeting (date, time, place) over the version the person saw, or raise
    StaleMeeting."""
    current = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("period__school_year")
        .get(pk=meeting.pk)
    )
    _check_planned(current)
    if current.version != seen_version:
        raise StaleMeeting(current)
    year = current.period.school_year if current.period_id else SchoolYear.current(current.date)
    _check_date(year, date)
    values = {"date": date, "start_time": start_time, "location": location}
    changed = [name for name, value in values.items() if getattr(current, name) != value]
    if not changed:
        return current
    for name in changed:
        setattr(current, name, values[name])
    current.version += 1
    current.save()
    return current


@transaction.atomic
def cancel(*, meeting: Meeting, by) -> None:
    """Take a planned meeting without pupils on it out of the year plan."""
    current = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if current.status != MeetingStatus.PLANNED:
        raise ValidationError(_("This meeting has been held; it cannot be cancelled."))
    if current.items.exists():
        raise ValidationError(
            _("Pupils are on the agenda of this meeting; it cannot be cancelled.")
        )
    if current.action_points.exists():
        raise ValidationError(_("This meeting has action points; it cannot be cancelled."))
    current.delete()


# Attendees ---------------------------------------------------------------------------------


@transaction.atomic
def add_attendee(
    *, meeting: Meeting, by, user=None, name: str = "", discipline: str = ""
) -> Attendee:
    """Someone at the meeting: a person with an account at the school (a care-team member,
    a teacher, the director), or a guest by name; with their discipline (e.g. "jeugdarts").
    Until the minutes are signed off."""
    from accounts.models import Membership

    current = _locked_meeting(meeting)
    _check_not_signed_off(current)
    name, discipline = name.strip(), discipline.strip()
    if (user is None) == (not name):
        raise ValidationError(_("Choose a colleague or write a guest's name, not both."))
    if user is not None:
        if not Membership.objects.active().filter(user=user, school_id=current.school_id).exists():
            raise ValidationError(_("This person has no role at the school."))
        if current.attendees.filter(user=user).exists():
            raise ValidationError(_("This person is already an attendee."))
    return Attendee.objects.create(meeting=current, user=user, name=name, discipline=discipline)


@transaction.atomic
def remove_attendee(*, attendee: Attendee, by) -> None:
    current = _locked_meeting(attendee.meeting)
    _check_not_signed_off(current)
    Attendee.objects.filter(pk=attendee.pk, meeting=current).delete()


# The care route's agenda -------------------------------------------------------------------


def _check_agenda(meeting: Meeting, kind: str, wrong_kind: str) -> None:
    """The meeting is of `kind` (else `wrong_kind` is the error) and its agenda still open."""
    if meeting.kind != kind:
        raise ValidationError(wrong_kind)
    if meeting.status == MeetingStatus.SIGNED_OFF:
        raise ValidationError(_("The minutes of this meeting have been signed off."))


def _check_care_team_agenda(meeting: Meeting) -> None:
    _check_agenda(meeting, MeetingKind.CARE_TEAM, _("Only a care-team meeting has this agenda."))


@transaction.atomic
def add_care_team_item(
    *, meeting: Meeting, pupil: Pupil, documents: list[str], by, question: str = ""
) -> MeetingItem:
    """Put a pupil on a care-team meeting's agenda, with the names of the documents supplied
    (kept as they are now) and the question for the care team to start from (the one
    formulated with the parents; the IB may sharpen it on the item). Called by the care
    route, which decides who may be put on it and when."""
    current = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _check_care_team_agenda(current)
    if pupil.school_id != current.school_id:
        raise ValidationError(_("The pupil is not of this school."))
    if current.items.filter(pupil=pupil).exists():
        raise ValidationError(_("This pupil is already on the agenda."))
    if not all(isinstance(name, str) for name in documents):
        raise ValidationError(_("Documents are named by their title."))
    last = current.items.aggregate(last=Max("position"))["last"] or 0
    try:
        with transaction.atomic():
            return MeetingItem.objects.create(
                meeting=current,
                pupil=pupil,
                position=last + 1,
                documents=list(documents),
                question=(question or "").strip(),
                created_by=by,
            )
    except IntegrityError:
        raise ValidationError(_("This pupil is already on the agenda.")) from None


@transaction.atomic
def remove_care_team_item(*, item: MeetingItem, by) -> None:
    """Take a pupil off a care-team agenda (e.g. consent withdrawn); the revision stays."""
    meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
    _check_care_team_agenda(meeting)
    MeetingItem.objects.get(pk=item.pk).delete()


# The group meeting held, minuted and signed off ------------------------------------------

# What the teacher writes in the minutes: only their own summary.
TEACHER_MINUTES_FIELDS = ["teacher_summary"]
PREPARATION_FIELDS = [name for name, _label in CHECKLIST]


def _locked_meeting(meeting: Meeting) -> Meeting:
    # Only the meeting's row: PostgreSQL refuses FOR UPDATE on the nullable side of a join.
    return Meeting.objects.select_for_update(of=("self",)).get(pk=meeting.pk)


def _check_not_signed_off(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.SIGNED_OFF:
        raise ValidationError(
            _("The minutes of this meeting have been signed off; add an addendum instead.")
        )


def _save_versioned(model, fields, *, meeting, values, seen_version, by):
    current = _locked_meeting(meeting)
    _check_not_signed_off(current)
    record, _made = model.objects.select_for_update().get_or_create(meeting=current)
    if record.version != seen_version:
        raise StaleMinutes(record)
    unknown = set(values) - set(fields)
    if unknown:
        raise ValidationError(_("These fields cannot be saved here."))
    changed = [name for name in fields if name in values and getattr(record, name) != values[name]]
    if not changed:
        return record
    for name in changed:
        setattr(record, name, values[name])
    record.version += 1
    record.updated_by = by
    record.save()
    return record


@transaction.atomic
def save_minutes(*, meeting: Meeting, values: Mapping, seen_version: int, by) -> Minutes:
    """Save the minutes over the version the person saw (1 for minutes not yet written), or
    raise StaleMinutes. `values` holds the fields the person may write (the IB: the agenda
    and the report; the teacher: their summary)."""
    fields = [*MINUTES_FIELDS, *TEACHER_MINUTES_FIELDS]
    return _save_versioned(
        Minutes, fields, meeting=meeting, values=values, seen_version=seen_version, by=by
    )


@transaction.atomic
def save_preparation(*, meeting: Meeting, values: Mapping, seen_version: int, by) -> Preparation:
    """The teacher's checklist, over the version they saw, or raise StaleMinutes."""
    if meeting.kind != MeetingKind.GROUP:
        raise ValidationError(_("Only a group meeting has a preparation checklist."))
    return _save_versioned(
        Preparation,
        PREPARATION_FIELDS,
        meeting=meeting,
        values=values,
        seen_version=seen_version,
        by=by,
    )


@transaction.atomic
def mark_held(*, meeting: Meeting, by, today: datetime.date | None = None) -> Meeting:
    """The meeting took place: planned -> held, on or after its date."""
    current = _locked_meeting(meeting)
    if current.status != MeetingStatus.PLANNED:
        raise ValidationError(_("Only a planned meeting can be marked as held."))
    if current.date > (today or timezone.localdate()):
        raise ValidationError(_("A meeting can be marked as held on or after its date."))
    current.status = MeetingStatus.HELD
    current.held_at = timezone.now()
    current.version += 1
    current.save()
    return current


@transaction.atomic
def sign_off(*, meeting: Meeting, by) -> Meeting:
    """The IB signs off the minutes of a held meeting; from then on they are locked. A group
    meeting marks its group's overview of the period discussed; an overview the teacher has
    not sent yet blocks the sign-off."""
    from groupplans.actions import mark_discussed
    from groupplans.models import GroupOverview, OverviewStatus

    current = _locked_meeting(meeting)
    if current.status != MeetingStatus.HELD:
        raise ValidationError(_("Only a held meeting can be signed off."))
    missing = sign_off_problems(current)
    if missing:
        raise ValidationError(missing)
    if current.kind == MeetingKind.GROUP:
        overview = GroupOverview.objects.filter(
            group_id=current.group_id, period_id=current.period_id
        ).first()
        if overview is not None and overview.status == OverviewStatus.DRAFT:
            raise ValidationError(
                _(
                    "The teacher has not sent the group overview to the IB yet; it can be "
                    "signed off once it has been sent."
                )
            )
        if overview is not None and overview.status == OverviewStatus.SENT:
            mark_discussed(overview=overview, by=by)
    current.status = MeetingStatus.SIGNED_OFF
    current.signed_off_by = by
    current.signed_off_at = timezone.now()
    current.version += 1
    current.save()
    return current


@transaction.atomic
def add_addendum(*, meeting: Meeting, text: str, by, item: MeetingItem | None = None) -> Addendum:
    """A dated correction to signed-off minutes; in a pupil or care-team meeting, to one
    pupil's item (so each pupil's report holds only their own)."""
    current = _locked_meeting(meeting)
    if current.status != MeetingStatus.SIGNED_OFF:
        raise ValidationError(_("An addendum can be added once the minutes are signed off."))
    if item is not None and item.meeting_id != current.pk:
        raise ValidationError(_("This pupil is not on the agenda of this meeting."))
    if item is None and current.kind != MeetingKind.GROUP:
        raise ValidationError(_("Choose the pupil the addendum is about."))
    text = text.strip()
    if not text:
        raise ValidationError(_("Write the addendum."))
    return Addendum.objects.create(meeting=current, item=item, text=text, author=by)


# Items: the minutes per pupil --------------------------------------------------------------


def group_pupils(meeting: Meeting):
    """The pupils a group meeting may zoom in on: those enrolled in its group during its
    period."""
    from groupplans.actions import enrolments_in_period

    enrolled = enrolments_in_period(meeting.group, meeting.period).values("pupil_id")
    return Pupil.objects.filter(pk__in=enrolled)


@transaction.atomic
def add_group_item(*, meeting: Meeting, pupil: Pupil, by) -> MeetingItem:
    """Zoom in on a pupil of the group in a group meeting: an item with notes of its own."""
    current = _locked_meeting(meeting)
    if current.kind != MeetingKind.GROUP:
        raise ValidationError(_("Only a group meeting zooms in on pupils of its group."))
    _check_not_signed_off(current)
    if not group_pupils(current).filter(pk=pupil.pk).exists():
        raise ValidationError(_("This pupil is not in the group in this period."))
    if current.items.filter(pupil=pupil).exists():
        raise ValidationError(_("This pupil is already on the agenda."))
    last = current.items.aggregate(last=Max("position"))["last"] or 0
    return MeetingItem.objects.create(
        meeting=current, pupil=pupil, position=last + 1, created_by=by
    )


@transaction.atomic
def remove_group_item(*, item: MeetingItem, by) -> None:
    """Take a pupil off a group meeting's agenda before sign-off, as long as no action point
    hangs off them (the revision of the notes stays)."""
    meeting = _locked_meeting(item.meeting)
    if meeting.kind != MeetingKind.GROUP:
        raise ValidationError(_("Only a group meeting zooms in on pupils of its group."))
    _check_not_signed_off(meeting)
    current = MeetingItem.objects.select_for_update(of=("self",)).get(pk=item.pk)
    if current.action_points.exists():
        raise ValidationError(_("Action points are about this pupil; remove or move them first."))
    current.delete()


@transaction.atomic
def save_item(*, item: MeetingItem, values: Mapping, seen_version: int, by) -> MeetingItem:
    """Save an item's minutes over the version the person saw, or raise StaleMinutes. Only
    the fields of the meeting's kind (`ITEM_FIELDS`); locked once the meeting is signed off."""
    meeting = _locked_meeting(item.meeting)
    _check_not_signed_off(meeting)
    current = MeetingItem.objects.select_for_update(of=("self",)).get(pk=item.pk)
    if current.version != seen_version:
        raise StaleMinutes(current)
    fields = ITEM_FIELDS[meeting.kind]
    if set(values) - set(fields):
        raise ValidationError(_("These fields cannot be saved here."))
    if values.get("outcome", "") not in ("", *ItemOutcome.values):
        raise ValidationError(_("Choose one of the outcomes."))
    changed = [name for name in fields if name in values and getattr(current, name) != values[name]]
    if not changed:
        return current
    for name in changed:
        setattr(current, name, values[name])
    current.version += 1
    current.updated_by = by
    current.updated_at = timezone.now()
    current.save()
    return current


def sign_off_problems(meeting: Meeting) -> list[str]:
    """What keeps a held meeting's minutes from being signed off: a pupil meeting needs an
    outcome for every pupil, a care-team meeting the team's advice for every pupil."""
    if meeting.kind == MeetingKind.PUPIL:
        missing = meeting.items.filter(outcome="").select_related("pupil").order_by("position")
        return [
            _("No outcome yet for %(pupil)s.") % {"pupil": item.pupil.full_name} for item in missing
        ]
    if meeting.kind == MeetingKind.CARE_TEAM:
        missing = meeting.items.filter(advice="").select_related("pupil").order_by("position")
        return [
            _("No advice yet for %(pupil)s.") % {"pupil": item.pupil.full_name} for item in missing
        ]
    return []


@transaction.atomic
def share_advice(*, item: MeetingItem, by) -> MeetingItem:
    """The IB shares a care-team item's advice with the pupil's teacher (recorded: who, when).
    Until then the teacher does not see it."""
    current = MeetingItem.objects.select_for_update(of=("self",)).get(pk=item.pk)
    meeting = current.meeting
    if meeting.kind != MeetingKind.CARE_TEAM:
        raise ValidationError(_("Only a care-team item has advice to share."))
    if meeting.status != MeetingStatus.SIGNED_OFF:
        raise ValidationError(_("Advice can be shared once the minutes are signed off."))
    if current.shared_at is not None:
        return current
    current.shared_by = by
    current.shared_at = timezone.now()
    current.save()
    return current


# The calendar link -------------------------------------------------------------------------


@transaction.atomic
def renew_calendar_feed(*, user) -> str:
    """A new secret calendar link for `user`; the old one stops working. Returns the token
    (shown once; only its hash is kept)."""
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.filter(user=user).delete()
    CalendarFeed.objects.create(user=user, token_hash=hash_token(token))
    return token
