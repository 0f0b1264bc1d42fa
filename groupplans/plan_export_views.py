"""The group plan on paper and the week: a page to print from the browser, a PDF, and the
week view (which subgroup gets what, when: the source of the teacher's week planning).

All three show what the plan page shows (`plan_view.build`) to exactly the people who may
open the plan, in a fixed number of queries, and note the pupils they show so the access log
records the read. The PDF is named after the group and the period, never after a pupil.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.formats import date_format, time_format
from django.utils.safestring import mark_safe
from django.utils.text import capfirst, get_text_list, slugify
from django.utils.translation import gettext as _

from groupplans import plan_view
from groupplans.export_views import page_furniture_css
from groupplans.models import (
    ATTITUDE_FIELDS,
    GroupPlan,
    Outcome,
    PlanComment,
    PlanStatus,
    Subgroup,
    Weekday,
)
from hgw import access
from hgw.downloads import attachment
from hgw.pdf import render_pdf, static_file_url
from pupils.models import GroupTeacherAssignment

PAPER_STYLESHEETS = ["css/overview-print.css", "css/plan-print.css"]


def _plan_data(request: HttpRequest, pk: int) -> tuple[GroupPlan, plan_view.PlanData]:
    plan = access.get_plan_or_404(request, pk)
    return plan, plan_view.build(plan)


def _label(model, name: str) -> str:
    return capfirst(str(model._meta.get_field(name).verbose_name))


# What the plan's texts look like on paper ---------------------------------------------------


@dataclass
class Field:
    label: str
    value: str
    strong: bool = False  # the outcome of a goal stands out


def _fields(obj, names: list[str]) -> list[Field]:
    """The filled-in texts among `names`, labelled; empty ones are left out."""
    return [
        Field(_label(type(obj), name), getattr(obj, name).strip())
        for name in names
        if getattr(obj, name).strip()
    ]


def _end_time(start: datetime.time, minutes: int) -> datetime.time:
    return (
        datetime.datetime.combine(datetime.date.min, start) + datetime.timedelta(minutes=minutes)
    ).time()


def _when(subgroup: Subgroup) -> str:
    """The time of a subgroup's instruction: "09:00-09:30 (30 min.)", "09:00" or "30 min."."""
    # A no-break space: "20 min." is not split over two lines.
    minutes = _("%(minutes)s min.") % {"minutes": subgroup.minutes} if subgroup.minutes else ""
    minutes = minutes.replace(" ", "\N{NO-BREAK SPACE}")
    if subgroup.start_time is None:
        return minutes
    start = time_format(subgroup.start_time, "TIME_FORMAT")
    if not subgroup.minutes:
        return start
    end = time_format(_end_time(subgroup.start_time, subgroup.minutes), "TIME_FORMAT")
    return f"{start}\N{EN DASH}{end} ({minutes})"


def _organisation(subgroup: Subgroup) -> str:
    """How often, when, how long and by whom, in one line; empty when nothing is set."""
    parts = []
    days = [str(Weekday(day).label) for day in subgroup.weekdays if day in Weekday.values]
    if days:
        parts.append(get_text_list(days, _("and")))
    if subgroup.start_time or subgroup.minutes:
        parts.append(_when(subgroup))
    if subgroup.staff.strip():
        parts.append(_("by %(staff)s") % {"staff": subgroup.staff.strip()})
    return capfirst(" · ".join(parts))


def _outcome(value: str) -> str:
    return str(Outcome(value).label) if value else ""


@dataclass
class PupilEvaluation:
    pupil: object
    fields: list[Field]


@dataclass
class PaperSubgroup:
    view: plan_view.SubgroupView
    members: list[tuple]  # (pupil, the last day in the group if they left)
    goals: list[Field]
    offer: list[Field]
    evaluation: list[Field]
    pupil_evaluations: list[PupilEvaluation]
    goal_texts: list[Field]  # the goals again, to read the evaluation by

    @property
    def title(self) -> str:
        return self.view.title


@dataclass
class PaperSection:
    view: plan_view.SectionView
    basic_offer: str
    needs: list[Field]  # part 2: what the whole group needs
    subgroups: list[PaperSubgroup]
    individual: list[PaperSubgroup]

    @property
    def area(self):
        return self.view.area

    @property
    def evaluated(self) -> list[PaperSubgroup]:
        return [s for s in self.subgroups + self.individual if s.evaluation or s.pupil_evaluations]


def _goals(subgroup: Subgroup) -> list[Field]:
    goals = _fields(subgroup, ["goal_didactic", "goal_pedagogic", "goal_measure", "goal_criterion"])
    if subgroup.goal_date:
        goals.append(
            Field(_label(Subgroup, "goal_date"), date_format(subgroup.goal_date, "DATE_FORMAT"))
        )
    return goals


def _offer(subgroup: Subgroup) -> list[Field]:
    offer = _fields(subgroup, ["content", "approach"])
    organised = _organisation(subgroup)
    if organised:
        offer.append(Field(_("Organisation"), organised))
    return offer + _fields(subgroup, ["materials"])


def _evaluation(obj) -> list[Field]:
    fields = []
    if obj.outcome:
        fields.append(Field(_("Goal"), _outcome(obj.outcome), strong=True))
    return fields + _fields(obj, ["helped", "hindered"])


def _differs(placement, subgroup: Subgroup) -> bool:
    """Whether a pupil's own evaluation says something the subgroup's does not."""
    return bool(
        (placement.outcome and placement.outcome != subgroup.outcome)
        or placement.helped.strip() not in ("", subgroup.helped.strip())
        or placement.hindered.strip() not in ("", subgroup.hindered.strip())
    )


def _paper_subgroup(view: plan_view.SubgroupView, evaluated: bool, left: dict) -> PaperSubgroup:
    subgroup = view.subgroup
    return PaperSubgroup(
        view=view,
        members=[(pupil, left.get(pupil.pk)) for pupil in view.pupils],
        goals=_goals(subgroup),
        offer=_offer(subgroup),
        evaluation=_evaluation(subgroup) if evaluated else [],
        pupil_evaluations=[
            PupilEvaluation(p.pupil, _evaluation(p))
            for p in view.placements
            if evaluated and _differs(p, subgroup)
        ],
        goal_texts=_fields(subgroup, ["goal_didactic", "goal_pedagogic"]),
    )


def _shown(paper: PaperSubgroup) -> bool:
    """A subgroup without pupils and without a word written in it is not printed."""
    return bool(paper.members or paper.goals or paper.offer or paper.evaluation)


def _paper_sections(data: plan_view.PlanData) -> list[PaperSection]:
    evaluated = data.plan.status == PlanStatus.EVALUATED
    left = {item.pupil.pk: item.left_on for item in data.items if item.has_left}
    sections = []
    for view in data.sections:
        standard = [_paper_subgroup(s, evaluated, left) for s in view.standard]
        individual = [_paper_subgroup(s, evaluated, left) for s in view.individual]
        sections.append(
            PaperSection(
                view=view,
                basic_offer=view.section.basic_offer.strip(),
                needs=[]
                if view.is_subject
                else _fields(view.section, [n for n, _l in ATTITUDE_FIELDS]),
                subgroups=[s for s in standard if _shown(s)],
                individual=[s for s in individual if _shown(s)],
            )
        )
    return sections


def _teachers(plan: GroupPlan) -> list[GroupTeacherAssignment]:
    """Who taught the group during the plan's period, substitutes after (one query)."""
    period = plan.period
    assignments = (
        GroupTeacherAssignment.objects.filter(group=plan.group, start_date__lte=period.end_date)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=period.start_date))
        .select_related("teacher")
        .order_by("is_substitute", "start_date", "pk")
    )
    seen, found = set(), []
    for assignment in assignments:
        if assignment.teacher_id not in seen:
            seen.add(assignment.teacher_id)
            found.append(assignment)
    return found


def _course(plan: GroupPlan) -> list[str]:
    """Who made, started and evaluated the plan, and when (one query for the people)."""
    steps = [
        (_("Drawn up by %(name)s on %(date)s"), plan.created_by_id, plan.created_at),
        (_("Started by %(name)s on %(date)s"), plan.activated_by_id, plan.activated_at),
        (_("Evaluated by %(name)s on %(date)s"), plan.evaluated_by_id, plan.evaluated_at),
    ]
    people = get_user_model().objects.in_bulk([by for _w, by, at in steps if at is not None])
    return [
        words
        % {
            "name": people[by].full_name if by in people else "",
            "date": date_format(timezone.localtime(at), "DATE_FORMAT"),
        }
        for words, by, at in steps
        if at is not None
    ]


def _paper_context(plan: GroupPlan, data: plan_view.PlanData) -> dict:
    sections = _paper_sections(data)
    return {
        "plan": plan,
        "school": plan.group.school,
        "period": plan.period,
        "teachers": _teachers(plan),
        "course": _course(plan),
        "pupil_count": len([i for i in data.items if not i.has_left]),
        "subject_sections": [s for s in sections if s.view.is_subject],
        "attitude_sections": [s for s in sections if not s.view.is_subject],
        "evaluated": plan.status == PlanStatus.EVALUATED,
        "comments": list(
            PlanComment.objects.filter(plan=plan)
            .select_related("author")
            .order_by("created_at", "pk")
        ),
        "printed_on": timezone.localdate(),
    }


def _filename(plan: GroupPlan) -> str:
    group = slugify(plan.group.name) or f"groep-{plan.group.pk}"
    return f"groepsplan-{group}-periode-{plan.period.number}.pdf"


# The print page and the PDF -----------------------------------------------------------------


def plan_print(request: HttpRequest, pk: int) -> HttpResponse:
    plan, data = _plan_data(request, pk)
    access.note_pupils(request, data.pupils)
    return render(request, "groupplans/plan_print.html", _paper_context(plan, data))


def plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Rendered in the request, as the overview's PDF: one group's plan is a few pages."""
    plan, data = _plan_data(request, pk)
    access.note_pupils(request, data.pupils)
    context = _paper_context(plan, data)
    context["stylesheets"] = [static_file_url("pdf/document.css")] + [
        static_file_url(name) for name in PAPER_STYLESHEETS
    ]
    # Safe: the words are translations, escaped for CSS by page_furniture_css.
    context["page_css"] = mark_safe(page_furniture_css(context["printed_on"]))
    pdf = render_pdf("pdf/group_plan.html", context, language=translation.get_language())
    return attachment(pdf, "application/pdf", _filename(plan))


# The week -----------------------------------------------------------------------------------


@dataclass
class WeekItem:
    entry: plan_view.WeekEntry
    when: str

    @property
    def area(self):
        return self.entry.section.area

    @property
    def subgroup(self) -> Subgroup:
        return self.entry.subgroup.subgroup

    @property
    def title(self) -> str:
        return self.entry.subgroup.title

    @property
    def pupils(self):
        return self.entry.subgroup.pupils


@dataclass
class Unscheduled:
    section: plan_view.SectionView
    subgroup: plan_view.SubgroupView


@dataclass
class WeekData:
    days: list[tuple[str, list[WeekItem]]]
    unscheduled: list[Unscheduled] = field(default_factory=list)


def _week(data: plan_view.PlanData) -> WeekData:
    days = [
        (
            capfirst(str(label)),
            [WeekItem(entry, _when(entry.subgroup.subgroup)) for entry in entries],
        )
        for label, entries in plan_view.week(data)
    ]
    # A subgroup without days that has pupils is not yet in the week: the teacher should see it.
    unscheduled = [
        Unscheduled(section, view)
        for section in data.sections
        for view in section.subgroups
        if view.placements and not any(d in Weekday.values for d in view.subgroup.weekdays)
    ]
    return WeekData(days, unscheduled)


def plan_week(request: HttpRequest, pk: int) -> HttpResponse:
    plan, data = _plan_data(request, pk)
    week = _week(data)
    access.note_pupils(
        request,
        {pupil for section in data.sections for view in section.subgroups for pupil in view.pupils},
    )
    return render(
        request,
        "groupplans/plan_week.html",
        {"plan": plan, "days": week.days, "unscheduled": week.unscheduled},
    )
