"""A new school year for schools without EDEXML: next year's groups from this year's, and
every pupil moved up a grade, with the exceptions the school administration marks.

EDEXML schools get the same through their next import; this is for the others, and for the
summer gap before the administration system's new export arrives.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from pupils.actions import enrol
from pupils.models import Enrolment, EnrolmentKind, Group, Pupil
from schools.actions import ensure_default_periods, ensure_school_year
from schools.models import School, SchoolYear

LEAVES = "leaves"  # the choice for a pupil who leaves the school at the end of the year


@dataclass(frozen=True)
class PupilMove:
    pupil: Pupil
    current_group: Group
    default: str  # a next-year group name, or LEAVES


@dataclass(frozen=True)
class RolloverPlan:
    source_year: SchoolYear
    target_start_year: int
    groups: list[Group]  # this year's groups with a grade, in order: next year gets the same
    moves: list[PupilMove]
    already_placed: int  # pupils with a group next year already (not listed again)

    @property
    def target_name(self) -> str:
        return f"{self.target_start_year}-{self.target_start_year + 1}"

    @property
    def target_group_names(self) -> list[str]:
        return [g.name for g in self.groups]


def _target_start(source_year: SchoolYear) -> datetime.date:
    return source_year.end_date + datetime.timedelta(days=1)


def _next_group(group: Group, groups: list[Group]) -> str:
    """The group of the next grade: the first whose grades hold this group's lowest + 1."""
    grade = group.grade_low + 1
    for candidate in groups:
        if candidate.grade_low <= grade <= candidate.grade_high:
            return candidate.name
    return LEAVES  # after group 8


def plan_rollover(*, school: School, source_year: SchoolYear) -> RolloverPlan:
    groups = list(
        Group.objects.filter(
            school=school, school_year=source_year, grade_low__isnull=False
        ).ordered()
    )
    last_day = source_year.end_date
    target_start = _target_start(source_year)
    placed = set(
        Enrolment.objects.filter(
            pupil__school=school, kind=EnrolmentKind.MAIN, start_date__gte=target_start
        ).values_list("pupil_id", flat=True)
    )
    enrolments = (
        Enrolment.objects.running_on(last_day)
        .filter(group__in=groups, kind=EnrolmentKind.MAIN)
        .select_related("pupil", "group")
    )
    moves = [
        PupilMove(pupil=e.pupil, current_group=e.group, default=_next_group(e.group, groups))
        for e in enrolments
        if e.pupil_id not in placed
        and not (e.pupil.date_out and e.pupil.date_out <= target_start)  # leaving already
    ]
    moves.sort(key=lambda m: (m.current_group.grade_low, m.current_group.name, m.pupil.sort_key))
    return RolloverPlan(
        source_year=source_year,
        target_start_year=source_year.start_year + 1,
        groups=groups,
        moves=moves,
        already_placed=len(placed),
    )


@transaction.atomic
def apply_rollover(
    *, school: School, plan: RolloverPlan, choices: dict[int, str]
) -> dict[str, int]:
    """Create next year's groups and place every pupil as chosen (default: a grade up)."""
    target = ensure_school_year(start_year=plan.target_start_year)
    ensure_default_periods(school=school, school_year=target)
    existing = {g.name: g for g in Group.objects.filter(school=school, school_year=target)}
    for group in plan.groups:
        if group.name not in existing:
            existing[group.name] = Group.objects.create(
                school=school,
                school_year=target,
                name=group.name,
                grade_low=group.grade_low,
                grade_high=group.grade_high,
            )
    counts = {"moved": 0, "repeated": 0, "left": 0}
    for move in plan.moves:
        # Composed groups belong to one school year.
        for composed in Enrolment.objects.filter(
            pupil=move.pupil,
            kind=EnrolmentKind.COMPOSED,
            group__school_year=plan.source_year,
            end_date__isnull=True,
        ):
            composed.end_date = target.start_date
            composed.save(update_fields=["end_date"])
        choice = choices.get(move.pupil.pk, move.default)
        if choice == LEAVES:
            move.pupil.date_out = target.start_date
            move.pupil.save(update_fields=["date_out"])
            for enrolment in Enrolment.objects.filter(pupil=move.pupil).running_on(
                plan.source_year.end_date
            ):
                enrolment.end_date = target.start_date
                enrolment.save(update_fields=["end_date"])
            counts["left"] += 1
            continue
        if choice not in existing:
            raise ValueError(_("Unknown group %(name)s.") % {"name": choice})
        enrol(pupil=move.pupil, group=existing[choice], start_date=target.start_date)
        repeated = existing[choice].grade_low <= move.current_group.grade_low
        counts["repeated" if repeated else "moved"] += 1
    return counts


def summarise_rollover(plan: RolloverPlan, choices: dict[int, str]) -> dict:
    """What the choices add up to, for the check before confirming: pupils per group next
    year, the pupils whose choice differs from the default, and how many leave."""
    per_group: dict[str, int] = dict.fromkeys(plan.target_group_names, 0)
    exceptions = []
    for move in plan.moves:
        choice = choices[move.pupil.pk]
        if choice != LEAVES:
            per_group[choice] += 1
        if choice != move.default:
            exceptions.append((move, choice))
    leaving = sum(1 for choice in choices.values() if choice == LEAVES)
    return {"per_group": per_group, "exceptions": exceptions, "leaving": leaving}
