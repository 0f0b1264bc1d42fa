"""Everything a plan's pages (the plan, its evaluation, the week, print and PDF) show, in a
fixed number of queries whatever the number of pupils, areas or subgroups."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch

from groupplans import grid
from groupplans.models import (
    GroupPlan,
    Placement,
    PlanPart,
    PlanSection,
    Subgroup,
    Weekday,
)
from groupplans.plan_actions import Unplaced, smarti_missing, subgroup_title, unplaced


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

    @property
    def area(self):
        return self.section.area

    @property
    def is_subject(self) -> bool:
        return self.section.area.part == PlanPart.SUBJECTS

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
    placements = Placement.objects.select_related("pupil").order_by(
        "pupil__family_name", "pupil__given_name", "pk"
    )
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
                placements=list(subgroup.placements.all()),
                smarti_missing=smarti_missing(subgroup, plan.period),
            )
            for subgroup in section.subgroups.all()
        ]
        views.append(SectionView(section, subgroups, unplaced(section, items)))
    return PlanData(plan=plan, items=items, sections=views, pupils=[i.pupil for i in items])


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
