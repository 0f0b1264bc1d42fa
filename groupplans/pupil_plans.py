"""One pupil's group plans: where they were placed in each area, the goals they worked on,
and how it went. Shown in the dossier tab "plannen" and given to the parents in the export.

Every function here runs a fixed number of queries, whatever the number of plans or areas.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext as _

from groupplans.models import GroupPlan, Outcome, Placement, PlanArea, Subgroup


@dataclass
class AreaEntry:
    """The pupil in one area of one plan. The evaluation is the pupil's own where the
    teacher wrote one, else the subgroup's (the rule of `outcomes.pupil_summary`)."""

    placement: Placement

    @property
    def area(self) -> PlanArea:
        return self.placement.section.area

    @property
    def subgroup(self) -> Subgroup:
        return self.placement.subgroup

    @property
    def subgroup_label(self) -> str:
        if self.subgroup.is_individual:
            return _("individual")
        return self.subgroup.title

    @property
    def outcome(self) -> str:
        return self.placement.outcome or self.subgroup.outcome

    @property
    def outcome_label(self) -> str:
        return str(Outcome(self.outcome).label) if self.outcome else ""

    @property
    def helped(self) -> str:
        return self.placement.helped.strip() or self.subgroup.helped.strip()

    @property
    def helped_is_the_subgroups(self) -> bool:
        """Written for the whole subgroup (an individual subgroup's is the pupil's own)."""
        return (
            not self.subgroup.is_individual
            and not self.placement.helped.strip()
            and bool(self.subgroup.helped.strip())
        )

    @property
    def hindered(self) -> str:
        return self.placement.hindered.strip() or self.subgroup.hindered.strip()

    @property
    def hindered_is_the_subgroups(self) -> bool:
        return (
            not self.subgroup.is_individual
            and not self.placement.hindered.strip()
            and bool(self.subgroup.hindered.strip())
        )

    @property
    def has_goal(self) -> bool:
        subgroup = self.subgroup
        return any(
            (
                subgroup.goal_didactic.strip(),
                subgroup.goal_pedagogic.strip(),
                subgroup.goal_measure.strip(),
                subgroup.goal_criterion.strip(),
                subgroup.goal_date,
            )
        )

    @property
    def has_evaluation(self) -> bool:
        return bool(self.outcome or self.helped or self.hindered)


@dataclass
class PupilPlan:
    plan: GroupPlan
    areas: list[AreaEntry]


def plans_of(pupil_id: int) -> models.QuerySet[GroupPlan]:
    """The plans the pupil was placed in, newest period first."""
    placed_in = Placement.objects.filter(pupil_id=pupil_id).values("section__plan_id")
    return (
        GroupPlan.objects.filter(pk__in=placed_in)
        .select_related("group", "period__school_year")
        .order_by("-period__start_date", "group__name", "pk")
    )


def areas_in(pupil_id: int, plans: Iterable[GroupPlan]) -> list[PupilPlan]:
    """`plans` (already fetched) each with the pupil's areas in the plan's order (one query)."""
    plans = list(plans)
    placements = (
        Placement.objects.filter(pupil_id=pupil_id, section__plan__in=[p.pk for p in plans])
        .select_related("subgroup", "section__area")
        .order_by("section__position", "section__pk")
    )
    by_plan: dict[int, list[AreaEntry]] = {}
    for placement in placements:
        by_plan.setdefault(placement.section.plan_id, []).append(AreaEntry(placement))
    return [PupilPlan(plan, by_plan.get(plan.pk, [])) for plan in plans]
