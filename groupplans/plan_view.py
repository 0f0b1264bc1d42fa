"""Everything a plan's pages (the plan, its evaluation, the week, print and PDF) show, in a
fixed number of queries whatever the number of pupils, areas or subgroups."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from groupplans import grid
from groupplans.models import (
    ATTITUDE_FIELDS,
    STANDARD_KINDS,
    GroupPlan,
    Placement,
    PlanPart,
    PlanSection,
    Subgroup,
    Weekday,
)
from groupplans.placement import PlacementSuggestion, suggest_placement
from schools.models import Period


@dataclass
class Unplaced:
    pupil: object
    suggestion: PlacementSuggestion


def unplaced(section: PlanSection, items: list[grid.GridRow]) -> list[Unplaced]:
    """The pupils still in the group without a subgroup in a subject area, with the subgroup
    the overview suggests (part 2 forces no split: nobody is unplaced there)."""
    if section.area.part != PlanPart.SUBJECTS:
        return []
    placed = {p.pupil_id for p in section.placements.all()}
    return [
        Unplaced(item.pupil, suggest_placement(section.area, item))
        for item in items
        if not item.has_left and item.pupil.pk not in placed
    ]


def subgroup_title(subgroup: Subgroup) -> str:
    if subgroup.is_individual:
        pupils = [p.pupil.full_name for p in subgroup.placements.all()]
        if pupils:
            return _("individual: %(pupil)s") % {"pupil": ", ".join(pupils)}
    return subgroup.title


def smarti_missing(subgroup: Subgroup, period: Period) -> list[str]:
    """What the subgroup's goal lacks to be SMARTI: the goal itself, what is measured, the
    criterion, and a date within the period."""
    missing = []
    if not (subgroup.goal_didactic.strip() or subgroup.goal_pedagogic.strip()):
        missing.append(_("no goal"))
    if not subgroup.goal_measure.strip():
        missing.append(_("not stated what is measured"))
    if not subgroup.goal_criterion.strip():
        missing.append(_("no criterion"))
    if subgroup.goal_date is None:
        missing.append(_("no date"))
    elif not period.start_date <= subgroup.goal_date <= period.end_date:
        missing.append(_("the date is not in this period"))
    return missing


@dataclass
class SubgroupView:
    subgroup: Subgroup
    placements: list[Placement]
    smarti_missing: list[str]

    @property
    def title(self) -> str:
        return subgroup_title(self.subgroup)

    @property
    def pupils(self):
        return [p.pupil for p in self.placements]


@dataclass
class SectionView:
    section: PlanSection
    subgroups: list[SubgroupView]
    unplaced: list[Unplaced]
    # For placed pupils whose results now suggest another of the three subgroups (re-clustering
    # at the start of a new cycle): pupil id -> the suggestion.
    elsewhere: dict = field(default_factory=dict)

    @property
    def area(self):
        return self.section.area

    @property
    def is_subject(self) -> bool:
        return self.section.area.part == PlanPart.SUBJECTS

    @property
    def attitude(self) -> list[tuple[str, str]]:
        return [(label, getattr(self.section, name)) for name, label in ATTITUDE_FIELDS]

    @property
    def standard(self) -> list[SubgroupView]:
        return [s for s in self.subgroups if not s.subgroup.is_individual]

    @property
    def individual(self) -> list[SubgroupView]:
        return [s for s in self.subgroups if s.subgroup.is_individual]


@dataclass
class PlanData:
    plan: GroupPlan
    items: list[grid.GridRow]
    sections: list[SectionView]
    pupils: list = field(default_factory=list)  # every pupil the plan shows, for the trail

    @property
    def unplaced_count(self) -> int:
        return sum(len(s.unplaced) for s in self.sections)


def build(plan: GroupPlan) -> PlanData:
    items = grid.build(plan.overview)
    placements = Placement.objects.select_related("pupil")
    sections = list(
        plan.sections.select_related("area", "updated_by").prefetch_related(
            Prefetch("subgroups", queryset=Subgroup.objects.select_related("updated_by")),
            Prefetch("subgroups__placements", queryset=placements),
            "placements",
        )
    )
    views = []
    for section in sections:
        subgroups = [
            SubgroupView(
                subgroup=subgroup,
                placements=sorted(subgroup.placements.all(), key=lambda p: p.pupil.sort_key),
                smarti_missing=smarti_missing(subgroup, plan.period),
            )
            for subgroup in section.subgroups.all()
        ]
        views.append(
            SectionView(
                section, subgroups, unplaced(section, items), _elsewhere(section, subgroups, items)
            )
        )
    return PlanData(plan=plan, items=items, sections=views, pupils=[i.pupil for i in items])


def _elsewhere(section: PlanSection, subgroups: list[SubgroupView], items) -> dict:
    if section.area.part != PlanPart.SUBJECTS:
        return {}
    rows = {item.pupil.pk: item for item in items if not item.has_left}
    found = {}
    for view in subgroups:
        if view.subgroup.kind not in STANDARD_KINDS:
            continue
        for placement in view.placements:
            item = rows.get(placement.pupil_id)
            if item is None:
                continue
            suggestion = suggest_placement(section.area, item)
            if suggestion.kind != view.subgroup.kind:
                found[placement.pupil_id] = suggestion
                placement.elsewhere = suggestion
    return found


@dataclass
class WeekEntry:
    section: PlanSection
    subgroup: SubgroupView
    start: datetime.time | None
    minutes: int | None


def week(data: PlanData) -> list[tuple[str, list[WeekEntry]]]:
    """Per weekday, which subgroup gets what, by time (entries without a time last)."""
    days: dict[int, list[WeekEntry]] = {day: [] for day in Weekday.values}
    for section in data.sections:
        for view in section.subgroups:
            for day in view.subgroup.weekdays:
                if day in days:
                    days[day].append(
                        WeekEntry(
                            section.section,
                            view,
                            view.subgroup.start_time,
                            view.subgroup.minutes,
                        )
                    )
    return [
        (
            Weekday(day).label,
            sorted(
                entries,
                key=lambda e: (e.start is None, e.start or datetime.time(), e.section.position),
            ),
        )
        for day, entries in days.items()
    ]


def start_problems(data: PlanData) -> list[str]:
    """What stands between a draft and an active plan: pupils without a subgroup in a subject
    area, and subgroups with pupils but no SMARTI goal."""
    problems = []
    for section in data.sections:
        if section.unplaced:
            problems.append(
                _("%(area)s: %(count)s pupils have no subgroup yet.")
                % {"area": section.area.name, "count": len(section.unplaced)}
            )
        for view in section.subgroups:
            if view.placements and view.smarti_missing:
                problems.append(
                    _("%(area)s, %(subgroup)s: %(missing)s.")
                    % {
                        "area": section.area.name,
                        "subgroup": view.title,
                        "missing": ", ".join(view.smarti_missing),
                    }
                )
    return problems


def evaluation_problems(data: PlanData) -> list[str]:
    """Subgroups with pupils whose outcome is not given yet."""
    return [
        _("%(area)s, %(subgroup)s: say whether the goal was reached.")
        % {"area": section.area.name, "subgroup": view.title}
        for section in data.sections
        for view in section.subgroups
        if view.placements and not view.subgroup.outcome
    ]
