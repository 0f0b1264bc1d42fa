"""The individual plan (IHP): made by the teacher and the IB, started by the IB once all seven
sections are filled and every goal is SMARTI, followed with data points per goal, evaluated by
the IB (then locked) and, when needed, revised into a new IHP that points to the one before.

Rules:
- A draft: every section, the goals and the organisation rows can be changed.
- A goal's owner is someone who may read the IHP (`goal_owners`).
- Started ("active"): the text sections and the organisation stay editable; the goals (their
  SMARTI parts) and the term are fixed. Data points are added (and a mistyped one removed)
  only now, dated from the start day up to today.
- Evaluated (not on the start day, every goal with data or a reason why there is none, the
  outcome and "enough result" agreeing: `evaluation_problems`): locked. A revision is a new
  draft IHP copying sections, goals and organisation.
- Text several people edit is saved over the version the person saw (StaleIHP otherwise).
"""

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from accounts.models import Membership, Role
from audit.history import Stale
from careroute.models import (
    IHP,
    DataPoint,
    GoalOutcome,
    GoalTerm,
    IHPGoal,
    IHPOrganisation,
    IHPOutcome,
    IHPStatus,
)
from groupplans.models import NEED_ASPECTS
from meetings.models import ItemOutcome, MeetingItem, MeetingKind, MeetingStatus
from meetings.registrations import (
    _result_text,
    latest_overview_row,
    latest_placements,
    latest_results,
)
from pupils.models import Enrolment, GroupTeacherAssignment, Pupil

# The text sections and the term, saved together over one version.
SECTION_FIELDS = [
    "starting_situation",
    "term_start",
    "term_end",
    "content",
    "people_involved",
    "evaluation_what",
    "evaluation_who",
    "evaluation_how",
    "evaluation_criteria",
]
TERM_FIELDS = ["term_start", "term_end"]
EVALUATION_FIELDS = ["evaluation_what", "evaluation_who", "evaluation_how", "evaluation_criteria"]
GOAL_FIELDS = ["term", "description", "measure", "criterion", "target_date", "owner"]
ORGANISATION_FIELDS = ["goal", "who", "how_often", "where", "when", "duration"]
HINT_MIN_POINTS = 4


class StaleIHP(Stale):
    """Someone else saved the IHP (or OPP) after the person opened it."""


def _lock(model, pk: int):
    return model.objects.select_for_update(of=("self",)).get(pk=pk)


# Pre-filling -------------------------------------------------------------------------------


def ihp_meetings(pupil: Pupil):
    """The signed-off pupil-meeting items of this pupil that concluded an IHP was needed."""
    return (
        MeetingItem.objects.filter(
            pupil=pupil,
            meeting__school=pupil.school_id,
            meeting__kind=MeetingKind.PUPIL,
            meeting__status=MeetingStatus.SIGNED_OFF,
            outcome=ItemOutcome.IHP_NEEDED,
        )
        .select_related("meeting")
        .order_by("-meeting__date", "-pk")
    )


def starting_situation(pupil: Pupil, based_on: MeetingItem | None = None) -> str:
    """Section 1 from what hgw holds: the latest overview row (factors, needs), the places in
    the latest group plan, the pupil meeting's growth document and the latest results."""
    parts: list[str] = []
    row = latest_overview_row(pupil)
    if row is not None:
        if row.stimulating:
            parts.append(_("Stimulating factors: %(text)s") % {"text": row.stimulating})
        if row.hindering:
            parts.append(_("Hindering factors: %(text)s") % {"text": row.hindering})
        needs = [
            f"- {label}: {getattr(row, name)}" for name, label in NEED_ASPECTS if getattr(row, name)
        ]
        if needs:
            parts.append(_("This pupil needs:") + "\n" + "\n".join(needs))
        if row.specific_needs:
            parts.append(_("Specific educational needs: %(text)s") % {"text": row.specific_needs})
    placements = latest_placements(pupil)
    if placements:
        places = "; ".join(f"{p.section.area.name}: {p.subgroup.title}" for p in placements)
        parts.append(
            _("Group plan %(period)s: %(places)s.")
            % {"period": placements[0].section.plan.period, "places": places}
        )
    if based_on is not None:
        meeting_date = date_format(based_on.meeting.date, "DATE_FORMAT")
        growth = [
            (_("What goes well"), based_on.going_well),
            (_("What is hard"), based_on.difficult),
            (_("Insight"), based_on.insight),
            (_("Outlook"), based_on.outlook),
            (_("Agreements"), based_on.agreements),
        ]
        lines = [f"{label}: {text}" for label, text in growth if text]
        if lines:
            parts.append(
                _("Pupil meeting of %(date)s:") % {"date": meeting_date} + "\n" + "\n".join(lines)
            )
    results = latest_results(pupil)
    if results:
        parts.append(
            _("Latest results: %(results)s.")
            % {"results": "; ".join(_result_text(result) for result in results)}
        )
    return "\n\n".join(parts)


# Creating and saving -------------------------------------------------------------------------


@transaction.atomic
def create_ihp(
    *, pupil: Pupil, by, based_on: MeetingItem | None = None, previous: IHP | None = None
) -> IHP:
    """A new draft IHP. Section 1 is pre-filled; a revision copies the previous IHP's
    sections, goals and organisation rows."""
    if based_on is not None and not ihp_meetings(pupil).filter(pk=based_on.pk).exists():
        raise ValidationError(
            _("Choose a signed-off pupil meeting of this pupil that concluded an IHP is needed.")
        )
    if previous is not None:
        if previous.pupil_id != pupil.pk or previous.status != IHPStatus.EVALUATED:
            raise ValidationError(_("Only an evaluated IHP of this pupil can be revised."))
        ihp = IHP.objects.create(
            pupil=pupil,
            based_on=based_on or previous.based_on,
            previous=previous,
            created_by=by,
            **{name: getattr(previous, name) for name in SECTION_FIELDS},
        )
        goals = {}
        owners = set(goal_owners(pupil).values_list("pk", flat=True))
        for goal in previous.goals.order_by("position", "pk"):
            values = {name: getattr(goal, name) for name in GOAL_FIELDS}
            if goal.owner_id not in owners:
                values["owner"] = None  # no longer reads the pupil's IHP: chosen anew
            goals[goal.pk] = IHPGoal.objects.create(ihp=ihp, position=goal.position, **values)
        for row in previous.organisation.order_by("pk"):
            IHPOrganisation.objects.create(
                ihp=ihp,
                goal=goals.get(row.goal_id),
                **{name: getattr(row, name) for name in ORGANISATION_FIELDS if name != "goal"},
            )
        return ihp
    return IHP.objects.create(
        pupil=pupil,
        based_on=based_on,
        created_by=by,
        starting_situation=starting_situation(pupil, based_on),
    )


def _check_editable(ihp: IHP) -> None:
    if ihp.status == IHPStatus.EVALUATED:
        raise ValidationError(_("This IHP has been evaluated and can no longer be changed."))


def _check_draft(ihp: IHP) -> None:
    _check_editable(ihp)
    if ihp.status != IHPStatus.DRAFT:
        raise ValidationError(
            _("The IHP has started: its goals and term can no longer be changed.")
        )


@transaction.atomic
def save_ihp(*, ihp: IHP, values: Mapping, seen_version: int, by) -> IHP:
    """The sections over the version the person saw, or raise StaleIHP. Once started the term
    stays as it was; once evaluated nothing is saved."""
    current = _lock(IHP, ihp.pk)
    if current.version != seen_version:
        raise StaleIHP(current)
    _check_editable(current)
    changed = False
    for name in SECTION_FIELDS:
        if name not in values:
            continue
        if name in TERM_FIELDS and current.status != IHPStatus.DRAFT:
            if values[name] != getattr(current, name):
                raise ValidationError(_("The IHP has started: its term can no longer be changed."))
            continue
        value = values[name]
        if isinstance(value, str):
            value = value.strip()
        if getattr(current, name) != value:
            setattr(current, name, value)
            changed = True
    if current.term_start and current.term_end and current.term_end < current.term_start:
        raise ValidationError(_("The term ends before it starts."))
    if changed:
        current.version += 1
        current.save()
    return current


def goal_owners(pupil: Pupil, on: datetime.date | None = None):
    """Who may own a goal of the pupil's IHP: the people who may read it (as
    `hgw.access.can_view_ihp` says, which this app cannot ask): the school's IB and director,
    and the pupil's current teachers. Not the administration, the privacy officer or an
    external: the goal would send them to a page they get a 404 on."""
    day = on or timezone.localdate()
    members = Membership.objects.active(day).filter(school=pupil.school_id)
    groups = Enrolment.objects.running_on(day).filter(pupil=pupil).values("group_id")
    teaching = (
        GroupTeacherAssignment.objects.filter(group__in=groups, start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=day))
        .values("teacher_id")
    )
    readers = members.filter(
        Q(role__in=[Role.CARE_COORDINATOR, Role.DIRECTOR]) | Q(role=Role.TEACHER, user__in=teaching)
    ).values("user_id")
    return (
        get_user_model().objects.filter(pk__in=readers, is_active=True).order_by("full_name", "pk")
    )


def _check_goal(ihp: IHP, values: Mapping) -> None:
    problems = []
    if values.get("term") not in GoalTerm.values:
        problems.append(_("Choose long term or short term."))
    if not (values.get("description") or "").strip():
        problems.append(_("Describe the goal."))
    target = values.get("target_date")
    has_term = target and ihp.term_start and ihp.term_end
    if has_term and not ihp.term_start <= target <= ihp.term_end:
        problems.append(
            _("The target date must lie within the term (%(start)s to %(end)s).")
            % {
                "start": date_format(ihp.term_start, "SHORT_DATE_FORMAT"),
                "end": date_format(ihp.term_end, "SHORT_DATE_FORMAT"),
            }
        )
    owner = values.get("owner")
    if owner is not None and not goal_owners(ihp.pupil).filter(pk=owner.pk).exists():
        problems.append(
            _(
                "The owner must be someone who may read this IHP: the IB, the director or the "
                "pupil's teacher."
            )
        )
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def add_goal(*, ihp: IHP, values: Mapping, by) -> IHPGoal:
    current = _lock(IHP, ihp.pk)
    _check_draft(current)
    _check_goal(current, values)
    position = current.goals.count() + 1
    return IHPGoal.objects.create(ihp=current, position=position, **_goal_values(values))


def _goal_values(values: Mapping) -> dict:
    cleaned = {name: values.get(name) for name in GOAL_FIELDS}
    for name in ("measure", "criterion", "description"):
        cleaned[name] = (cleaned[name] or "").strip()
    return cleaned


@transaction.atomic
def edit_goal(*, goal: IHPGoal, values: Mapping, seen_version: int, by) -> IHPGoal:
    # The IHP first, as every write under it does (remove_goal, add_data_point): one lock order.
    ihp = _lock(IHP, goal.ihp_id)
    current = _lock(IHPGoal, goal.pk)
    if current.version != seen_version:
        raise StaleIHP(current)
    _check_draft(ihp)
    _check_goal(ihp, values)
    for name, value in _goal_values(values).items():
        setattr(current, name, value)
    current.version += 1
    current.save()
    return current


@transaction.atomic
def remove_goal(*, goal: IHPGoal, by) -> None:
    ihp = _lock(IHP, goal.ihp_id)
    _check_draft(ihp)
    IHPGoal.objects.filter(pk=goal.pk).delete()


@transaction.atomic
def add_organisation(*, ihp: IHP, values: Mapping, by) -> IHPOrganisation:
    current = _lock(IHP, ihp.pk)
    _check_editable(current)
    goal = values.get("goal")
    if goal is not None and goal.ihp_id != current.pk:
        raise ValidationError(_("Choose a goal of this IHP."))
    if not (values.get("who") or "").strip():
        raise ValidationError(_("Say who works on it."))
    return IHPOrganisation.objects.create(
        ihp=current,
        goal=goal,
        **{
            name: (values.get(name) or "").strip() for name in ORGANISATION_FIELDS if name != "goal"
        },
    )


@transaction.atomic
def remove_organisation(*, row: IHPOrganisation, by) -> None:
    ihp = _lock(IHP, row.ihp_id)
    _check_editable(ihp)
    IHPOrganisation.objects.filter(pk=row.pk).delete()


# Starting ----------------------------------------------------------------------------------


def goal_missing(goal: IHPGoal) -> list[str]:
    """What a goal lacks to be SMARTI: what is measured, the criterion, the date, the owner."""
    missing = []
    if not goal.measure:
        missing.append(_("what is measured"))
    if not goal.criterion:
        missing.append(_("the criterion"))
    if not goal.target_date:
        missing.append(_("the target date"))
    if not goal.owner_id:
        missing.append(_("the owner"))
    return missing


def start_problems(ihp: IHP, goals: list[IHPGoal] | None = None) -> list[str]:
    """Everything that stands between this IHP and its start, in the sections' order."""
    if goals is None:
        goals = list(ihp.goals.order_by("position", "pk"))
    problems = []
    if not ihp.starting_situation.strip():
        problems.append(_("Section 1: describe the starting situation."))
    if not any(goal.term == GoalTerm.LONG for goal in goals):
        problems.append(_("Section 2: add at least one long-term goal."))
    if not any(goal.term == GoalTerm.SHORT for goal in goals):
        problems.append(_("Section 2: add at least one short-term goal."))
    owners = set(goal_owners(ihp.pupil).values_list("pk", flat=True))
    for number, goal in enumerate(goals, start=1):
        missing = goal_missing(goal)
        if missing:
            problems.append(
                _("Section 2: goal %(number)s is not SMARTI yet; missing: %(missing)s.")
                % {"number": number, "missing": ", ".join(missing)}
            )
        elif goal.owner_id not in owners:
            problems.append(
                _("Section 2: goal %(number)s's owner can no longer read this IHP; choose another.")
                % {"number": number}
            )
    if not (ihp.term_start and ihp.term_end):
        problems.append(_("Section 3: give the term's start and end dates."))
    else:
        for number, goal in enumerate(goals, start=1):
            if goal.target_date and not ihp.term_start <= goal.target_date <= ihp.term_end:
                problems.append(
                    _("Section 2: goal %(number)s's target date lies outside the term.")
                    % {"number": number}
                )
    if not ihp.content.strip():
        problems.append(_("Section 4: describe the content."))
    if not ihp.people_involved.strip():
        problems.append(_("Section 5: say who is involved."))
    if not ihp.organisation.exists():
        problems.append(_("Section 6: add at least one row to the organisation."))
    labels = {
        "evaluation_what": _("what is evaluated"),
        "evaluation_who": _("who evaluates"),
        "evaluation_how": _("how"),
        "evaluation_criteria": _("the criteria"),
    }
    missing = [labels[name] for name in EVALUATION_FIELDS if not getattr(ihp, name).strip()]
    if missing:
        problems.append(
            _("Section 7: the evaluation still needs %(missing)s.")
            % {"missing": ", ".join(missing)}
        )
    return problems


@transaction.atomic
def start_ihp(*, ihp: IHP, by) -> IHP:
    """Draft -> active, once all seven sections are filled and every goal is SMARTI; the
    refusal lists everything that is missing."""
    current = _lock(IHP, ihp.pk)
    if current.status != IHPStatus.DRAFT:
        raise ValidationError(_("Only a draft IHP can be started."))
    problems = start_problems(current)
    if problems:
        raise ValidationError(problems)
    current.status = IHPStatus.ACTIVE
    current.started_at = timezone.now()
    current.version += 1
    current.save()
    return current


# Following ---------------------------------------------------------------------------------


@transaction.atomic
def add_data_point(
    *,
    goal: IHPGoal,
    date: datetime.date,
    value: Decimal | None = None,
    observation: str = "",
    by,
) -> DataPoint:
    """A measurement or an observation towards a goal, only while the IHP is active, dated
    from the day it started up to today."""
    ihp = _lock(IHP, goal.ihp_id)
    if ihp.status != IHPStatus.ACTIVE:
        raise ValidationError(_("Data points are added while the IHP is running."))
    problems = []
    observation = (observation or "").strip()
    if value is None and not observation:
        problems.append(_("Give a value or an observation."))
    started = timezone.localdate(ihp.started_at)
    if date > timezone.localdate():
        problems.append(_("The date cannot lie in the future."))
    elif date < started:
        problems.append(
            _("The date cannot lie before the IHP started (%(date)s).")
            % {"date": date_format(started, "SHORT_DATE_FORMAT")}
        )
    if problems:
        raise ValidationError(problems)
    return DataPoint.objects.create(
        goal=goal, date=date, value=value, observation=observation, recorded_by=by
    )


@transaction.atomic
def remove_data_point(*, point: DataPoint, by) -> None:
    """A mistyped measurement is taken out while the IHP runs (its history keeps it); after
    the evaluation the data points are part of the locked plan."""
    ihp = _lock(IHP, point.goal.ihp_id)
    if ihp.status != IHPStatus.ACTIVE:
        raise ValidationError(_("Data points are removed only while the IHP is running."))
    DataPoint.objects.filter(pk=point.pk).delete()


def criterion_number(criterion: str) -> Decimal | None:
    """The first number in a criterion ("45 words per minute" -> 45), or None."""
    found = re.search(r"-?\d+(?:[.,]\d+)?", criterion or "")
    if not found:
        return None
    try:
        return Decimal(found.group().replace(",", "."))
    except InvalidOperation:
        return None


# Each reading of the data: the decision it suggests and the words that say what the data
# shows ("%(moves)s": the way the line actually goes, rises or falls).
HINTS = {
    "reached": (
        "exit",
        gettext_lazy("The last two measurements meet the criterion: consider ending the support."),
    ),
    "reached_once": (
        "continue",
        gettext_lazy(
            "The line %(moves)s and the latest measurement meets the criterion: consider "
            "continuing until the next one confirms it."
        ),
    ),
    "on_course": (
        "continue",
        gettext_lazy(
            "The line %(moves)s and, at this pace, reaches the criterion by the target date: "
            "consider continuing."
        ),
    ),
    "moving": ("continue", gettext_lazy("The line %(moves)s: consider continuing.")),
    "too_slow": (
        "adjust",
        gettext_lazy(
            "The line %(moves)s, but too slowly to reach the criterion by the target date: "
            "consider adjusting the approach."
        ),
    ),
    "flat": (
        "adjust",
        gettext_lazy(
            "The line is flat: the values go up and down without a clear direction. Consider "
            "adjusting the approach."
        ),
    ),
    "flat_again": (
        "escalate",
        gettext_lazy("The line is still flat after an adjustment: consider escalating."),
    ),
    "away": (
        "escalate",
        gettext_lazy("The line %(moves)s, away from the criterion: consider escalating."),
    ),
    "worse": ("escalate", gettext_lazy("The line %(moves)s: consider escalating.")),
}
MOVES = {1: pgettext_lazy("the line", "rises"), -1: pgettext_lazy("the line", "falls")}
HINT_MAX_POINTS = 6
# One-sided 90% critical values of Student's t by degrees of freedom (points - 2): a slope
# smaller than this many standard errors is noise (1, 1, 2, 1 is flat, not rising).
_T_90 = {1: 3.078, 2: 1.886, 3: 1.638, 4: 1.533}
# A change over the window of less than 2% of the values' level is flat, however regular.
_FLAT_SHARE = 0.02


@dataclass(frozen=True)
class Hint:
    reading: str  # a key of HINTS
    moves: int  # the line's way: 1 rises, -1 falls, 0 flat

    @property
    def decision(self) -> str:
        """exit (afronden), continue (doorgaan), adjust (bijstellen), escalate (opschalen)."""
        return HINTS[self.reading][0]

    @property
    def text(self) -> str:
        words = str(HINTS[self.reading][1])
        return words % {"moves": MOVES[self.moves]} if "%(moves)s" in words else words


def _line(points: list[tuple[datetime.date, float]]) -> tuple[float, float, int]:
    """The least-squares line through (day, value): its slope per day, its value on the first
    day, and its direction once noise is taken out (1 up, -1 down, 0 flat)."""
    first = points[0][0]
    xs = [float((day - first).days) for day, _value in points]
    if len(set(xs)) == 1:  # all on one day: taken as a week apart
        xs = [7.0 * n for n in range(len(points))]
    ys = [value for _day, value in points]
    n = len(points)
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mean_x) ** 2 for x in xs)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sxx
    intercept = mean_y - slope * mean_x
    residual = sum((y - intercept - slope * x) ** 2 for x, y in zip(xs, ys, strict=True))
    error = (residual / (n - 2) / sxx) ** 0.5
    change = abs(slope) * (max(xs) - min(xs))
    if change < max(abs(mean_y) * _FLAT_SHARE, 0.01):
        return slope, intercept, 0
    if error > 0 and abs(slope) / error < _T_90[min(n - 2, max(_T_90))]:
        return slope, intercept, 0
    return slope, intercept, 1 if slope > 0 else -1


def decision_hint(goal: IHPGoal, points: list[DataPoint] | None = None) -> Hint | None:
    """A hint for the people deciding, never a decision, from the measured values (the last
    six at most; observations without a value do not count). None with fewer than four.

    The criterion's number (the first in it) says which way is better: below the first value
    (fewer errors) a falling line is progress. Then:
    - the last two values meet the criterion: "reached" (afronden);
    - the line, fitted by least squares over the dates, is flat when its slope is within noise
      (a t-test at 90%) or moves less than 2% of the values' level: "flat" (bijstellen), or
      "flat_again" in an IHP that is itself a revision (opschalen);
    - it moves away from the criterion: "away" (opschalen);
    - it moves towards it: "reached_once" when the latest value meets it; "on_course" when the
      line reaches the criterion by the goal's target date (or the term's end), "too_slow"
      (bijstellen) when it does not; "moving" without a number or date to compare with."""
    if points is None:
        points = list(goal.data_points.order_by("date", "pk"))
    measured = [(point.date, float(point.value)) for point in points if point.value is not None]
    if len(measured) < HINT_MIN_POINTS:
        return None
    target = criterion_number(goal.criterion)
    target = float(target) if target is not None else None
    better = -1 if target is not None and target < measured[0][1] else 1

    def meets(value: float) -> bool:
        return target is not None and better * (value - target) >= 0

    window = measured[-HINT_MAX_POINTS:]
    if meets(window[-1][1]) and meets(window[-2][1]):
        return Hint("reached", 0)
    slope, intercept, moves = _line(window)
    if moves == 0:
        return Hint("flat_again" if goal.ihp.previous_id else "flat", 0)
    if moves != better:
        return Hint("away" if target is not None else "worse", moves)
    if meets(window[-1][1]):
        return Hint("reached_once", moves)
    horizon = goal.target_date or goal.ihp.term_end
    if target is None or horizon is None:
        return Hint("moving", moves)
    first, last = window[0][0], window[-1][0]
    projected = intercept + slope * (max(horizon, last) - first).days
    return Hint("on_course" if meets(projected) else "too_slow", moves)


# Evaluating --------------------------------------------------------------------------------


def evaluation_problems(
    ihp: IHP,
    goals: list[IHPGoal],
    goal_outcomes: Mapping[int, tuple[str, str]],
    outcome: str,
    result_sufficient: bool | None,
    *,
    today: datetime.date | None = None,
) -> list[str]:
    """Everything that stands between this IHP and its evaluation, at once:
    - it ran: not evaluated on the day it started;
    - every goal an outcome, and data to judge it by: at least one data point, or its notes
      say why there is none;
    - what happens next, and whether the result is enough, telling one story: "rejoins a
      subgroup" is not "too little result", "external steps" is not "enough result", and
      every goal reached is not too little result (the route reads one evaluation as the
      evidence for one way on only)."""
    today = today or timezone.localdate()
    problems = []
    if ihp.started_at is not None and timezone.localdate(ihp.started_at) >= today:
        problems.append(
            _("The IHP started today: evaluate it once it has run and data has been collected.")
        )
    for number, goal in enumerate(goals, start=1):
        found = goal_outcomes.get(goal.pk)
        if not found or found[0] not in GoalOutcome.values:
            problems.append(_("Goal %(number)s needs an outcome.") % {"number": number})
        if not (found and (found[1] or "").strip()) and not goal.data_points.exists():
            problems.append(
                _(
                    "Goal %(number)s has no data points: add them, or say in its notes why "
                    "there are none."
                )
                % {"number": number}
            )
    if outcome not in IHPOutcome.values:
        problems.append(_("Choose what happens next."))
    if result_sufficient is None:
        problems.append(_("Say whether the result is enough."))
    elif outcome == IHPOutcome.REJOIN and not result_sufficient:
        problems.append(
            _(
                "The pupil rejoins a subgroup only with enough result: with too little result, "
                "choose a new IHP or external steps."
            )
        )
    elif outcome == IHPOutcome.EXTERNAL and result_sufficient:
        problems.append(
            _(
                "External steps (the care team) follow too little result: with enough result, "
                "choose rejoining a subgroup or a new IHP."
            )
        )
    elif (
        result_sufficient is False
        and goals
        and all((goal_outcomes.get(goal.pk) or ("",))[0] == GoalOutcome.REACHED for goal in goals)
    ):
        problems.append(_("Every goal is reached: the result cannot be too little."))
    return problems


@transaction.atomic
def evaluate_ihp(
    *,
    ihp: IHP,
    goal_outcomes: Mapping[int, tuple[str, str]],
    outcome: str,
    result_sufficient: bool,
    notes: str,
    by,
) -> IHP:
    """Active -> evaluated (locked): every goal an outcome (reached, partly, not reached)
    with notes, the IHP's outcome (rejoin a subgroup, a new IHP, external steps) and whether
    the result is enough; refused, with everything missing, by `evaluation_problems`."""
    current = _lock(IHP, ihp.pk)
    if current.status != IHPStatus.ACTIVE:
        raise ValidationError(_("Only a running IHP can be evaluated."))
    goals = list(current.goals.order_by("position", "pk"))
    problems = evaluation_problems(current, goals, goal_outcomes, outcome, result_sufficient)
    if problems:
        raise ValidationError(problems)
    for goal in goals:
        goal.outcome, goal.evaluation = goal_outcomes[goal.pk][0], goal_outcomes[goal.pk][1]
        goal.evaluation = (goal.evaluation or "").strip()
        goal.version += 1
        goal.save()
    current.outcome = outcome
    current.result_sufficient = result_sufficient
    current.evaluation_notes = (notes or "").strip()
    current.status = IHPStatus.EVALUATED
    current.evaluated_at = timezone.now()
    current.version += 1
    current.save()
    return current


def revise_ihp(*, ihp: IHP, by) -> IHP:
    """A new draft IHP after an evaluated one, copying its sections and goals."""
    return create_ihp(pupil=ihp.pupil, by=by, based_on=ihp.based_on, previous=ihp)
