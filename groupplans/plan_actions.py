"""Writes about group plans: the school's areas, making a plan from an overview (pre-filled
from the previous plan and the school's library), placing pupils, saving a section or a
subgroup over the version the person saw, starting, evaluating, and the next cycle."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit import history
from groupplans import actions, grid, plan_view
from groupplans.models import (
    ATTITUDE_FIELDS,
    OFFER_FIELDS,
    STANDARD_KINDS,
    GroupOverview,
    GroupPlan,
    OfferTemplate,
    OverviewRow,
    Placement,
    PlanArea,
    PlanComment,
    PlanPart,
    PlanSection,
    PlanStatus,
    Subgroup,
    SubgroupKind,
)
from groupplans.outcomes import summaries_for_plan
from pupils.models import SubjectArea
from schools.models import Period, School

# The areas a school starts with (seed section 3); the IB can rename, add and retire them.
DEFAULT_AREAS: list[tuple[int, str, list[str], int, int]] = [
    (PlanPart.SUBJECTS, gettext_lazy("Technical reading"), [SubjectArea.TECHNICAL_READING], 3, 8),
    (
        PlanPart.SUBJECTS,
        gettext_lazy("Reading comprehension"),
        [SubjectArea.READING_COMPREHENSION],
        3,
        8,
    ),
    (
        PlanPart.SUBJECTS,
        gettext_lazy("Spelling and language"),
        [SubjectArea.SPELLING, SubjectArea.LANGUAGE],
        3,
        8,
    ),
    (PlanPart.SUBJECTS, gettext_lazy("Maths"), [SubjectArea.MATHS], 3, 8),
    (PlanPart.SUBJECTS, gettext_lazy("Emergent literacy"), [SubjectArea.EMERGENT_LITERACY], 1, 2),
    (PlanPart.SUBJECTS, gettext_lazy("Emergent numeracy"), [SubjectArea.EMERGENT_NUMERACY], 1, 2),
    (
        PlanPart.ATTITUDE,
        gettext_lazy("Work attitude and social-emotional functioning"),
        [],
        1,
        8,
    ),
]


def ensure_default_areas(school: School) -> None:
    """Give a school without areas the default ones, named in the school's language (Dutch)
    whatever the language of the person who happens to open the first plan."""
    if PlanArea.objects.filter(school=school).exists():
        return
    with translation.override(settings.LANGUAGE_CODE):
        _create_default_areas(school)


def _create_default_areas(school: School) -> None:
    for position, (part, name, subjects, low, high) in enumerate(DEFAULT_AREAS, start=1):
        PlanArea.objects.create(
            school=school,
            part=part,
            name=str(name),
            subjects=",".join(subjects),
            grade_low=low,
            grade_high=high,
            position=position,
        )


class Stale(history.Stale):
    """Someone else saved the section, subgroup or placement after the person opened it."""


def _check_editable(plan: GroupPlan) -> None:
    if plan.is_locked:
        raise ValidationError(_("This plan has been evaluated and can no longer be changed."))


# Making a plan -----------------------------------------------------------------------------


def _previous_plan(overview: GroupOverview) -> GroupPlan | None:
    """The group's latest plan of an earlier period."""
    return (
        GroupPlan.objects.filter(
            group=overview.group, period__start_date__lt=overview.period.start_date
        )
        .order_by("-period__start_date")
        .first()
    )


def _library(school: School) -> dict[tuple[int | None, str], OfferTemplate]:
    """The first library entry per (area, kind); (area, "") and (None, kind) as fallbacks."""
    found: dict[tuple[int | None, str], OfferTemplate] = {}
    for entry in OfferTemplate.objects.filter(school=school).order_by("title", "pk"):
        found.setdefault((entry.area_id, entry.kind), entry)
    return found


def _template_for(library, area_id: int, kind: str) -> OfferTemplate | None:
    for key in ((area_id, kind), (area_id, ""), (None, kind)):
        if key in library:
            return library[key]
    return None


def _copy_offer(target: Subgroup, source, period: Period) -> None:
    for name in OFFER_FIELDS:
        setattr(target, name, getattr(source, name))
    for name in ("days", "start_time", "minutes", "staff"):
        if hasattr(source, name):
            setattr(target, name, getattr(source, name))
    target.goal_date = period.end_date


def _current_pupil_ids(overview: GroupOverview) -> list[int]:
    """The pupils of the overview still in the group at the period's end (or today)."""
    return [item.pupil.pk for item in grid.build(overview) if not item.has_left]


@transaction.atomic
def create_plan(*, overview: GroupOverview, by, carry_from: GroupPlan | None = None) -> GroupPlan:
    """A plan for the overview's group and period: a section per area of the school that
    covers the group, each subject area with its three subgroups. The texts come from the
    group's previous plan, else from the school's library; pupils keep their subgroup from
    the previous plan when they are still in the group; the rest wait for placement."""
    if GroupPlan.objects.filter(overview=overview).exists():
        raise ValidationError(_("This overview already has a plan."))
    school = overview.group.school
    ensure_default_areas(school)
    previous = carry_from if carry_from is not None else _previous_plan(overview)
    plan = GroupPlan.objects.create(
        overview=overview,
        group=overview.group,
        period=overview.period,
        created_by=by,
        carried_from=previous,
    )
    areas = [
        area
        for area in PlanArea.objects.for_school(school).filter(active=True).ordered()
        if area.covers(overview.group)
    ]
    earlier = _previous_sections(previous)
    library = _library(school)
    enrolled = set(_current_pupil_ids(overview))
    for position, area in enumerate(areas, start=1):
        section = PlanSection.objects.create(plan=plan, area=area, position=position, updated_by=by)
        source = earlier.get(area.pk)
        if source is not None:
            section.basic_offer = source.basic_offer
            for name, _label in ATTITUDE_FIELDS:
                setattr(section, name, getattr(source, name))
            section.save()
            _carry_subgroups(section, source, plan.period, enrolled, by)
        else:
            kinds = STANDARD_KINDS if area.part == PlanPart.SUBJECTS else []
            for order, kind in enumerate(kinds, start=1):
                subgroup = Subgroup(section=section, kind=kind, position=order, updated_by=by)
                template = _template_for(library, area.pk, kind)
                if template is not None:
                    _copy_offer(subgroup, template, plan.period)
                subgroup.save()
    return plan


def _previous_sections(previous: GroupPlan | None) -> dict[int, PlanSection]:
    if previous is None:
        return {}
    sections = previous.sections.prefetch_related("subgroups__placements")
    return {section.area_id: section for section in sections}


def _carry_subgroups(section: PlanSection, source: PlanSection, period, enrolled, by) -> None:
    """The previous section's subgroups with their offer and the pupils still in the group;
    individual subgroups only for a pupil who is still here. Evaluations stay behind."""
    kinds = {subgroup.kind for subgroup in source.subgroups.all()}
    order = 0
    for old in source.subgroups.all():
        pupils = [p.pupil_id for p in old.placements.all() if p.pupil_id in enrolled]
        if old.is_individual and not pupils:
            continue
        order += 1
        new = Subgroup(section=section, kind=old.kind, name=old.name, position=order, updated_by=by)
        _copy_offer(new, old, period)
        new.save()
        for pupil_id in pupils:
            Placement.objects.create(
                section=section, subgroup=new, pupil_id=pupil_id, updated_by=by
            )
    if section.area.part == PlanPart.SUBJECTS:
        for kind in STANDARD_KINDS:
            if kind not in kinds:
                order += 1
                Subgroup.objects.create(section=section, kind=kind, position=order, updated_by=by)


# Placing pupils ----------------------------------------------------------------------------


def _locked_section(section: PlanSection) -> PlanSection:
    current = (
        PlanSection.objects.select_for_update(of=("self",))
        .select_related("plan", "area")
        .get(pk=section.pk)
    )
    _check_editable(current.plan)
    return current


def _check_pupil(section: PlanSection, pupil_id: int) -> None:
    rows = OverviewRow.objects.filter(overview_id=section.plan.overview_id, pupil_id=pupil_id)
    if not rows.exists():
        raise ValidationError(_("This pupil is not in the group in this period."))


@transaction.atomic
def place_pupil(*, section: PlanSection, pupil_id: int, subgroup: Subgroup, by) -> Placement:
    """Put a pupil in a subgroup of the area (moving them if they were in another)."""
    section = _locked_section(section)
    if subgroup.section_id != section.pk:
        raise ValidationError(_("This subgroup belongs to another area."))
    _check_pupil(section, pupil_id)
    placement = Placement.objects.filter(section=section, pupil_id=pupil_id).first()
    if placement is None:
        return Placement.objects.create(
            section=section, subgroup=subgroup, pupil_id=pupil_id, updated_by=by
        )
    if placement.subgroup_id != subgroup.pk:
        old = placement.subgroup
        placement.subgroup = subgroup
        actions.save_new_version(placement, by)
        _drop_if_empty_individual(old)
    return placement


@transaction.atomic
def place_individually(*, section: PlanSection, pupil_id: int, by) -> Placement:
    """Give a pupil an offer of their own in this area (the care route reads this kind)."""
    section = _locked_section(section)
    _check_pupil(section, pupil_id)
    order = (section.subgroups.aggregate(m=models.Max("position"))["m"] or 0) + 1
    subgroup = Subgroup.objects.create(
        section=section,
        kind=SubgroupKind.INDIVIDUAL,
        position=order,
        goal_date=section.plan.period.end_date,
        updated_by=by,
    )
    return place_pupil(section=section, pupil_id=pupil_id, subgroup=subgroup, by=by)


@transaction.atomic
def unplace_pupil(*, section: PlanSection, pupil_id: int, by) -> None:
    """Take a pupil out of a part-2 subgroup (in a subject area a pupil is moved, not
    taken out)."""
    section = _locked_section(section)
    if section.area.part == PlanPart.SUBJECTS:
        raise ValidationError(_("In a subject area every pupil has a subgroup; move the pupil."))
    placement = Placement.objects.filter(section=section, pupil_id=pupil_id).first()
    if placement is not None:
        old = placement.subgroup
        placement.delete()
        _drop_if_empty_individual(old)


def _drop_if_empty_individual(subgroup: Subgroup) -> None:
    """An individual offer nobody follows any more goes, unless something was written in it
    (its revisions keep what was)."""
    if not subgroup.is_individual or subgroup.placements.exists():
        return
    if any(getattr(subgroup, name) for name in [*OFFER_FIELDS, "helped", "hindered", "outcome"]):
        return
    subgroup.delete()


@transaction.atomic
def accept_suggestions(*, section: PlanSection, by) -> int:
    """Place every unplaced pupil of a subject area in the suggested subgroup."""
    section = _locked_section(section)
    items = grid.build(section.plan.overview)
    by_kind = {s.kind: s for s in section.subgroups.exclude(kind=SubgroupKind.INDIVIDUAL)}
    count = 0
    for item in plan_view.unplaced(section, items):
        subgroup = by_kind.get(item.suggestion.kind)
        if subgroup is None:
            continue
        Placement.objects.create(
            section=section, subgroup=subgroup, pupil_id=item.pupil.pk, updated_by=by
        )
        count += 1
    return count


@transaction.atomic
def add_subgroup(*, section: PlanSection, name: str, by) -> Subgroup:
    """A further subgroup: a small group in part 2, or e.g. a second core group."""
    section = _locked_section(section)
    if not name.strip():
        raise ValidationError(_("Give the subgroup a name."))
    order = (section.subgroups.aggregate(m=models.Max("position"))["m"] or 0) + 1
    return Subgroup.objects.create(
        section=section,
        kind=SubgroupKind.SMALL,
        name=name.strip(),
        position=order,
        goal_date=section.plan.period.end_date,
        updated_by=by,
    )


# Saving text -------------------------------------------------------------------------------


@transaction.atomic
def save_versioned(*, obj: models.Model, values: dict, seen_version: int, by):
    """Save a section, subgroup or placement over the version the person saw, or raise Stale.
    Evaluation fields are saved while the plan is active."""
    current = type(obj).objects.select_for_update().get(pk=obj.pk)
    plan = _plan_of(current)
    _check_editable(plan)
    if current.version != seen_version:
        raise Stale(current)
    changed = [name for name in values if getattr(current, name) != values[name]]
    if not changed:
        return current
    for name in changed:
        setattr(current, name, values[name])
    return actions.save_new_version(current, by)


def _plan_of(obj) -> GroupPlan:
    if isinstance(obj, PlanSection):
        return obj.plan
    return obj.section.plan


# The plan's course -------------------------------------------------------------------------


def activation_problems(plan: GroupPlan) -> list[str]:
    return plan_view.start_problems(plan_view.build(plan))


@transaction.atomic
def activate_plan(*, plan: GroupPlan, by) -> GroupPlan:
    current = GroupPlan.objects.select_for_update().get(pk=plan.pk)
    if current.status != PlanStatus.DRAFT:
        raise ValidationError(_("Only a draft plan can be started."))
    problems = activation_problems(current)
    if problems:
        raise ValidationError(problems)
    current.status = PlanStatus.ACTIVE
    current.activated_by = by
    current.activated_at = timezone.now()
    current.save()
    return current


def evaluation_problems(plan: GroupPlan) -> list[str]:
    return plan_view.evaluation_problems(plan_view.build(plan))


@transaction.atomic
def evaluate_plan(*, plan: GroupPlan, by) -> GroupPlan:
    """Close the period: every subgroup with pupils has its outcome; a pupil without an
    outcome of their own has the subgroup's. The outcomes go to the next overview, if the
    group already has one (otherwise it takes them when it is made)."""
    current = GroupPlan.objects.select_for_update().get(pk=plan.pk)
    if current.status != PlanStatus.ACTIVE:
        raise ValidationError(_("Only an active plan can be evaluated."))
    problems = evaluation_problems(current)
    if problems:
        raise ValidationError(problems)
    for placement in Placement.objects.filter(section__plan=current, outcome="").select_related(
        "subgroup"
    ):
        placement.outcome = placement.subgroup.outcome
        actions.save_new_version(placement, by)
    current.status = PlanStatus.EVALUATED
    current.evaluated_by = by
    current.evaluated_at = timezone.now()
    current.save()
    summaries = summaries_for_plan(current.pk)
    for row in OverviewRow.objects.filter(
        carried_from__overview_id=current.overview_id
    ).select_related("overview"):
        text = summaries.get(row.pupil_id)
        if text and not row.overview.is_locked and row.specific_needs != text:
            row.specific_needs = text
            actions.save_new_version(row, by)
    return current


def next_period(period: Period) -> Period | None:
    return (
        Period.objects.filter(
            school_id=period.school_id,
            school_year_id=period.school_year_id,
            start_date__gt=period.start_date,
        )
        .order_by("start_date")
        .first()
    )


@transaction.atomic
def start_next_cycle(*, plan: GroupPlan, by) -> GroupPlan:
    """The next period's overview (continued from this one, with the evaluation as specific
    needs) and plan (this plan's offer and subgroups, dated for the new period)."""
    current = (
        GroupPlan.objects.select_for_update(of=("self",))
        .select_related("period", "group")
        .get(pk=plan.pk)
    )
    if current.status != PlanStatus.EVALUATED:
        raise ValidationError(_("Evaluate this plan before starting the next cycle."))
    period = next_period(current.period)
    if period is None:
        raise ValidationError(
            _(
                "This is the last period of the school year; start next year's overview from "
                "the group of the new school year."
            )
        )
    overview = GroupOverview.objects.filter(group=current.group, period=period).first()
    if overview is None:
        overview = actions.create_overview(group=current.group, period=period, by=by)
    elif GroupPlan.objects.filter(overview=overview).exists():
        raise ValidationError(_("The next period already has a plan."))
    return create_plan(overview=overview, by=by, carry_from=current)


@transaction.atomic
def add_comment(*, plan: GroupPlan, text: str, by) -> PlanComment:
    if not text.strip():
        raise ValidationError(_("Write a comment."))
    return PlanComment.objects.create(plan=plan, author=by, text=text.strip())
