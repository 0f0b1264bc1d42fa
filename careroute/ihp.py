"""The individual plan (IHP): made by the teacher and the IB, started by the IB once all seven
sections are filled and every goal is SMARTI, followed with data points per goal, evaluated by
the IB (then locked) and, when needed, revised into a new IHP that points to the one before.

Rules:
- A draft: every section, the goals and the organisation rows can be changed.
- Started ("active"): the text sections and the organisation stay editable; the goals (their
  SMARTI parts) and the term are fixed. Data points are added (and a mistyped one removed)
  only now.
- Evaluated: locked. A revision is a new draft IHP copying sections, goals and organisation.
- Text several people edit is saved over the version the person saw (StaleIHP otherwise).
"""

import datetime
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Membership
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
from pupils.models import Pupil

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
        for goal in previous.goals.order_by("position", "pk"):
            goals[goal.pk] = IHPGoal.objects.create(
                ihp=ihp,
                position=goal.position,
                **{name: getattr(goal, name) for name in GOAL_FIELDS},
            )
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
    if owner is not None and not (
        Membership.objects.active().filter(user=owner, school=ihp.pupil.school_id).exists()
    ):
        problems.append(_("The owner must work at the school."))
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
    for number, goal in enumerate(goals, start=1):
        missing = goal_missing(goal)
        if missing:
            problems.append(
                _("Section 2: goal %(number)s is not SMARTI yet; missing: %(missing)s.")
                % {"number": number, "missing": ", ".join(missing)}
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
    """A measurement or an observation towards a goal, only while the IHP is active."""
    ihp = _lock(IHP, goal.ihp_id)
    if ihp.status != IHPStatus.ACTIVE:
        raise ValidationError(_("Data points are added while the IHP is running."))
    observation = (observation or "").strip()
    if value is None and not observation:
        raise ValidationError(_("Give a value or an observation."))
    if date > timezone.localdate():
        raise ValidationError(_("The date cannot lie in the future."))
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


HINTS = {
    "exit": gettext_lazy("The goal looks reached: consider ending the support (exit)."),
    "continue": gettext_lazy("The trend is rising: consider continuing."),
    "adjust": gettext_lazy("The trend is flat: consider adjusting the approach."),
    "escalate": gettext_lazy(
        "The trend is falling, or still flat after an adjustment: consider escalating."
    ),
}


def decision_hint(goal: IHPGoal, points: list[DataPoint] | None = None) -> str | None:
    """A hint for the people deciding, never a decision. With at least four measured values
    (observations without a value do not count), looking at the last four:
    - "exit": the latest value meets the numeric criterion (the first number in it);
    - otherwise the trend (least-squares slope; "flat" when it moves less than 2% of the
      mean value per point), counted towards the criterion (so a criterion below the start,
      like fewer errors, wants a falling line):
    - "continue": moving towards it; "adjust": flat; "escalate": moving away, or flat in an
      IHP that is itself a revision (the approach was adjusted already).
    None with fewer than four values."""
    if points is None:
        points = list(goal.data_points.order_by("date", "pk"))
    values = [float(point.value) for point in points if point.value is not None]
    if len(values) < HINT_MIN_POINTS:
        return None
    target = criterion_number(goal.criterion)
    direction = 1.0
    if target is not None and float(target) < values[0]:
        direction = -1.0
    if target is not None and direction * (values[-1] - float(target)) >= 0:
        return "exit"
    last = values[-HINT_MIN_POINTS:]
    n = len(last)
    mean_x = (n - 1) / 2
    mean_y = sum(last) / n
    slope = sum((x - mean_x) * (y - mean_y) for x, y in enumerate(last)) / sum(
        (x - mean_x) ** 2 for x in range(n)
    )
    slope *= direction
    tolerance = max(abs(mean_y) * 0.02, 0.01)
    if slope > tolerance:
        return "continue"
    if slope < -tolerance:
        return "escalate"
    return "escalate" if goal.ihp.previous_id else "adjust"


# Evaluating --------------------------------------------------------------------------------


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
    the result is enough."""
    current = _lock(IHP, ihp.pk)
    if current.status != IHPStatus.ACTIVE:
        raise ValidationError(_("Only a running IHP can be evaluated."))
    problems = []
    goals = list(current.goals.order_by("position", "pk"))
    for number, goal in enumerate(goals, start=1):
        found = goal_outcomes.get(goal.pk)
        if not found or found[0] not in GoalOutcome.values:
            problems.append(_("Goal %(number)s needs an outcome.") % {"number": number})
    if outcome not in IHPOutcome.values:
        problems.append(_("Choose what happens next."))
    if result_sufficient is None:
        problems.append(_("Say whether the result is enough."))
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
