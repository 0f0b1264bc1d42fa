"""The IHP and OPP pages: the dossier tab "ihp" (the pupil's IHPs and OPPs), an IHP's page with
its seven sections, goals (SMARTI check per goal), organisation grid, data points with a chart
and a hint, the start and evaluate forms, and its PDF; an OPP's page and its PDF.

Reading: the IB, the director and the pupil's current teacher (`access.can_view_ihp`). Writing
the IHP: the IB and the pupil's teacher; starting and evaluating: the IB; the OPP: the IB.
Every page notes the pupil in the access log. 422 keeps what was typed; 409 shows the version
saved meanwhile beside the typed text.
"""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from careroute import ihp as actions
from careroute import opp as opp_actions
from careroute.ihp_forms import (
    AgreementForm,
    DataPointForm,
    EvaluateForm,
    GoalForm,
    NewIHPForm,
    OPPEvaluationForm,
    OPPForm,
    OrganisationForm,
    SectionsForm,
)
from careroute.models import IHP, OPP, DataPoint, IHPGoal, IHPOrganisation
from hgw import access
from hgw.downloads import attachment
from hgw.pdf import render_pdf
from meetings.report_views import report_furniture
from pupils.models import Enrolment

IHPS_PER_PAGE = 10


# Looking up --------------------------------------------------------------------------------


def get_ihp_or_404(request: HttpRequest, pk: int) -> IHP:
    actor = access.actor_for(request)
    try:
        ihp = IHP.objects.select_related(
            "pupil", "based_on__meeting", "previous", "created_by"
        ).get(pk=pk, pupil__school=actor.school)
    except IHP.DoesNotExist:
        raise Http404 from None
    if not access.can_view_ihp(actor, ihp.pupil):
        raise Http404
    access.note_pupils(request, [ihp.pupil_id])
    return ihp


def get_opp_or_404(request: HttpRequest, pk: int) -> OPP:
    actor = access.actor_for(request)
    try:
        opp = OPP.objects.select_related("pupil", "created_by").get(
            pk=pk, pupil__school=actor.school
        )
    except OPP.DoesNotExist:
        raise Http404 from None
    if not access.can_view_opp(actor, opp.pupil):
        raise Http404
    access.note_pupils(request, [opp.pupil_id])
    return opp


def _goal_or_404(request: HttpRequest, pk: int) -> IHPGoal:
    try:
        goal = IHPGoal.objects.get(pk=pk)
    except IHPGoal.DoesNotExist:
        raise Http404 from None
    goal.ihp = get_ihp_or_404(request, goal.ihp_id)
    return goal


# The chart ---------------------------------------------------------------------------------

CHART_WIDTH = 520
CHART_HEIGHT = 180
CHART_LEFT = 44
CHART_RIGHT = 12
CHART_TOP = 12
CHART_BOTTOM = 28


def chart(goal: IHPGoal, points: list[DataPoint]) -> dict | None:
    """The data points' values over time as SVG coordinates, with the criterion line when
    the criterion holds a number. None without at least one value."""
    measured = [point for point in points if point.value is not None]
    if not measured:
        return None
    target = actions.criterion_number(goal.criterion)
    values = [float(point.value) for point in measured]
    low = min(values + ([float(target)] if target is not None else []))
    high = max(values + ([float(target)] if target is not None else []))
    if high == low:
        high, low = high + 1, low - 1
    margin = (high - low) * 0.1
    low, high = low - margin, high + margin
    first = min(point.date for point in measured)
    last = max(point.date for point in measured)
    if goal.ihp.term_start and goal.ihp.term_end:
        first = min(first, goal.ihp.term_start)
        last = max(last, goal.ihp.term_end)
    span = max((last - first).days, 1)
    inner_w = CHART_WIDTH - CHART_LEFT - CHART_RIGHT
    inner_h = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM

    def x(day: datetime.date) -> str:
        return _coordinate(CHART_LEFT + inner_w * (day - first).days / span)

    def y(value: float) -> str:
        return _coordinate(CHART_TOP + inner_h * (high - value) / (high - low))

    dots = [{"x": x(point.date), "y": y(float(point.value)), "point": point} for point in measured]
    criterion_y = y(float(target)) if target is not None else None
    # Coordinates are strings: a number in a template would be localised ("12,5").
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": CHART_LEFT,
        "right": CHART_WIDTH - CHART_RIGHT,
        "top": CHART_TOP,
        "bottom": CHART_HEIGHT - CHART_BOTTOM,
        "axis_label_x": CHART_LEFT - 6,
        "line": " ".join(f"{dot['x']},{dot['y']}" for dot in dots),
        "dots": dots,
        "criterion_y": criterion_y,
        "criterion_label_y": _coordinate(float(criterion_y) - 4) if criterion_y else None,
        "criterion": f"{target.normalize():f}" if target is not None else None,
        "high_label": f"{high - margin:g}",
        "high_y": y(high - margin),
        "low_label": f"{low + margin:g}",
        "low_y": y(low + margin),
        "first_label": date_format(first, "SHORT_DATE_FORMAT"),
        "last_label": date_format(last, "SHORT_DATE_FORMAT"),
        "label_y": CHART_HEIGHT - 8,
        "description": _("The values of %(measure)s over time%(criterion)s.")
        % {
            "measure": goal.measure or goal.description[:40],
            "criterion": _(", with the criterion line at %(value)s") % {"value": f"{target:f}"}
            if target is not None
            else "",
        },
    }


def _coordinate(value: float) -> str:
    return f"{value:.1f}"


# The dossier tab ---------------------------------------------------------------------------


def pupil_ihps(request: HttpRequest, pk: int) -> HttpResponse:
    """The pupil's IHPs (newest first: status, term, the pupil meeting they are based on) and
    OPPs, with "New IHP" and "New OPP" for those who may make them."""
    actor = access.actor_for(request)
    pupil = access.get_pupil_or_404(request, pk, access.Category.LEARNING)
    if not access.can_view_ihp(actor, pupil):
        raise Http404
    ihps = (
        IHP.objects.filter(pupil=pupil)
        .select_related("based_on__meeting")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(ihps, IHPS_PER_PAGE).get_page(request.GET.get("page"))
    opps = list(OPP.objects.filter(pupil=pupil).order_by("-created_at", "-pk"))
    new_ihp = None
    if access.can_create_ihp(actor, pupil):
        new_ihp = NewIHPForm(
            items=actions.ihp_meetings(pupil),
            action=reverse("careroute:ihp_create", args=[pupil.pk]),
        )
    return render(
        request,
        "careroute/pupil_ihps.html",
        {
            "pupil": pupil,
            "page": page,
            "opps": opps,
            "new_ihp": new_ihp,
            "can_create_opp": access.can_edit_opp(actor, pupil),
        },
    )


@require_POST
def ihp_create(request: HttpRequest, pk: int) -> HttpResponse:
    actor = access.actor_for(request)
    pupil = access.get_pupil_or_404(request, pk, access.Category.LEARNING)
    if not access.can_create_ihp(actor, pupil):
        raise Http404
    form = NewIHPForm(
        request.POST,
        items=actions.ihp_meetings(pupil),
        action=reverse("careroute:ihp_create", args=[pupil.pk]),
    )
    if not form.is_valid():
        messages.error(request, _("Choose one of the pupil meetings shown."))
        return redirect("pupil_dossier_tab", pk=pupil.pk, tab="ihp")
    ihp = actions.create_ihp(pupil=pupil, by=request.user, based_on=form.cleaned_data["based_on"])
    messages.success(request, _("The IHP has been made; section 1 is filled in from the dossier."))
    return redirect("careroute:ihp_detail", pk=ihp.pk)


# The IHP page ------------------------------------------------------------------------------


def _goals(ihp: IHP) -> list[IHPGoal]:
    return list(
        ihp.goals.select_related("owner")
        .prefetch_related(
            Prefetch("data_points", queryset=DataPoint.objects.order_by("date", "pk"))
        )
        .order_by("position", "pk")
    )


def _render_ihp(
    request,
    ihp: IHP,
    *,
    status=200,
    sections=None,
    current=None,
    goal_form=None,
    organisation_form=None,
    point_forms=None,
    evaluate_form=None,
    problems=None,
):
    actor = access.actor_for(request)
    goals = _goals(ihp)
    for goal in goals:
        goal.ihp = ihp
    can_edit = access.can_edit_ihp(actor, ihp)
    can_points = access.can_add_data_point(actor, ihp)
    point_forms = point_forms or {}
    rows = []
    for number, goal in enumerate(goals, start=1):
        points = list(goal.data_points.all())
        hint = actions.decision_hint(goal, points)
        rows.append(
            {
                "number": number,
                "goal": goal,
                "missing": actions.goal_missing(goal),
                "points": points,
                "chart": chart(goal, points),
                "hint": hint.text if hint else None,
                "point_form": point_forms.get(goal.pk)
                or (
                    DataPointForm(
                        action=reverse("careroute:data_point_add", args=[goal.pk]),
                        initial={"date": timezone.localdate()},
                        prefix=f"goal{goal.pk}",
                    )
                    if can_points
                    else None
                ),
            }
        )
    organisation = list(ihp.organisation.select_related("goal").order_by("goal__position", "pk"))
    numbers = {row["goal"].pk: row["number"] for row in rows}
    for row in organisation:
        row.number = numbers.get(row.goal_id)
    detail_url = reverse("careroute:ihp_detail", args=[ihp.pk])
    draft = ihp.status == "draft"
    context = {
        "ihp": ihp,
        "pupil": ihp.pupil,
        "goals": rows,
        "organisation": organisation,
        "can_edit": can_edit,
        "can_edit_goals": can_edit and draft,
        "sections": sections or (SectionsForm(ihp=ihp, action=detail_url) if can_edit else None),
        "current": current,
        "goal_form": goal_form
        or (
            GoalForm(ihp=ihp, action=reverse("careroute:goal_add", args=[ihp.pk]))
            if can_edit and draft
            else None
        ),
        "organisation_form": organisation_form
        or (
            OrganisationForm(
                ihp=ihp,
                goals=[row["goal"] for row in rows],
                action=reverse("careroute:organisation_add", args=[ihp.pk]),
            )
            if can_edit
            else None
        ),
        "can_start": access.can_start_ihp(actor, ihp),
        "start_refused": problems is not None,
        "start_problems": problems
        if problems is not None
        else (actions.start_problems(ihp, [row["goal"] for row in rows]) if draft else []),
        "evaluate_form": evaluate_form
        or (
            EvaluateForm(
                ihp=ihp,
                goals=[row["goal"] for row in rows],
                action=reverse("careroute:ihp_evaluate", args=[ihp.pk]),
            )
            if access.can_evaluate_ihp(actor, ihp)
            else None
        ),
        "can_revise": access.can_revise_ihp(actor, ihp),
    }
    context["form"] = context["sections"]  # the versioned form of the page
    return render(request, "careroute/ihp_detail.html", context, status=status)


@require_http_methods(["GET", "POST"])
def ihp_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the IHP. POST: the sections, saved over the version the person saw."""
    ihp = get_ihp_or_404(request, pk)
    if request.method == "GET":
        return _render_ihp(request, ihp)
    actor = access.actor_for(request)
    if not access.can_edit_ihp(actor, ihp):
        raise Http404
    url = reverse("careroute:ihp_detail", args=[ihp.pk])
    form = SectionsForm(request.POST, ihp=ihp, action=url)
    if form.is_valid():
        try:
            actions.save_ihp(
                ihp=ihp,
                values=form.values(),
                seen_version=form.cleaned_data["version"],
                by=request.user,
            )
        except actions.StaleIHP as stale:
            return _stale_ihp(request, ihp, stale.current)
        except ValidationError as problem:
            form.add_error(None, problem)
        else:
            messages.success(request, _("The IHP has been saved."))
            return redirect(url)
    elif "version" in form.errors:
        return _stale_ihp(request, ihp, IHP.objects.get(pk=ihp.pk))
    return _render_ihp(request, ihp, sections=form, status=422)


def _stale_ihp(request, ihp: IHP, current: IHP) -> HttpResponse:
    data = request.POST.copy()
    data["version"] = str(current.version)
    url = reverse("careroute:ihp_detail", args=[ihp.pk])
    form = SectionsForm(data, ihp=current, action=url)
    form.is_valid()
    messages.warning(
        request, _("Someone else saved this while you were editing it. Check both versions.")
    )
    shown = [
        (str(IHP._meta.get_field(name).verbose_name), getattr(current, name))
        for name in actions.SECTION_FIELDS
    ]
    return _render_ihp(request, current, sections=form, current=shown, status=409)


@require_POST
def goal_add(request: HttpRequest, pk: int) -> HttpResponse:
    ihp = get_ihp_or_404(request, pk)
    if not access.can_edit_ihp(access.actor_for(request), ihp):
        raise Http404
    form = GoalForm(request.POST, ihp=ihp, action=reverse("careroute:goal_add", args=[ihp.pk]))
    if form.is_valid():
        try:
            actions.add_goal(ihp=ihp, values=form.values(), by=request.user)
        except ValidationError as problem:
            form.add_error(None, problem)
        else:
            messages.success(request, _("The goal has been added."))
            return redirect(reverse("careroute:ihp_detail", args=[ihp.pk]) + "#goals")
    return _render_ihp(request, ihp, goal_form=form, status=422)


@require_http_methods(["GET", "POST"])
def goal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """A goal's own page while the IHP is a draft; saved over the version the person saw."""
    goal = _goal_or_404(request, pk)
    ihp = goal.ihp
    if not access.can_edit_ihp(access.actor_for(request), ihp) or ihp.status != "draft":
        raise Http404
    url = reverse("careroute:goal_edit", args=[goal.pk])
    current = None
    status = 200
    if request.method == "GET":
        form = GoalForm(ihp=ihp, goal=goal, action=url)
    else:
        form = GoalForm(request.POST, ihp=ihp, goal=goal, action=url)
        if form.is_valid():
            try:
                actions.edit_goal(
                    goal=goal,
                    values=form.values(),
                    seen_version=form.cleaned_data["version"],
                    by=request.user,
                )
            except actions.StaleIHP as stale:
                current = stale.current
            except ValidationError as problem:
                form.add_error(None, problem)
            else:
                messages.success(request, _("The goal has been saved."))
                return redirect(reverse("careroute:ihp_detail", args=[ihp.pk]) + "#goals")
        elif "version" in form.errors:
            current = IHPGoal.objects.select_related("owner").get(pk=goal.pk)
        status = 422
        if current is not None:
            data = request.POST.copy()
            data["version"] = str(current.version)
            form = GoalForm(data, ihp=ihp, goal=current, action=url)
            form.is_valid()
            messages.warning(
                request,
                _("Someone else saved this while you were editing it. Check both versions."),
            )
            status = 409
    return render(
        request,
        "careroute/goal_edit.html",
        {"ihp": ihp, "pupil": ihp.pupil, "goal": goal, "form": form, "current": current},
        status=status,
    )


@require_POST
def goal_remove(request: HttpRequest, pk: int) -> HttpResponse:
    goal = _goal_or_404(request, pk)
    if not access.can_edit_ihp(access.actor_for(request), goal.ihp):
        raise Http404
    return _removed(
        request,
        lambda: actions.remove_goal(goal=goal, by=request.user),
        _("The goal has been removed."),
        reverse("careroute:ihp_detail", args=[goal.ihp_id]) + "#goals",
    )


def _removed(request: HttpRequest, remove, done: str, back: str) -> HttpResponse:
    """A removal from the IHP page: refused (the IHP moved on meanwhile) or done, with a
    message either way, back to where the person was."""
    try:
        remove()
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
    else:
        messages.success(request, done)
    return redirect(back)


@require_POST
def organisation_add(request: HttpRequest, pk: int) -> HttpResponse:
    ihp = get_ihp_or_404(request, pk)
    if not access.can_edit_ihp(access.actor_for(request), ihp):
        raise Http404
    form = OrganisationForm(
        request.POST,
        ihp=ihp,
        goals=list(ihp.goals.order_by("position", "pk")),
        action=reverse("careroute:organisation_add", args=[ihp.pk]),
    )
    if form.is_valid():
        try:
            actions.add_organisation(ihp=ihp, values=form.values(), by=request.user)
        except ValidationError as problem:
            form.add_error(None, problem)
        else:
            messages.success(request, _("The row has been added."))
            return redirect(reverse("careroute:ihp_detail", args=[ihp.pk]) + "#organisation")
    return _render_ihp(request, ihp, organisation_form=form, status=422)


@require_POST
def organisation_remove(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        row = IHPOrganisation.objects.get(pk=pk)
    except IHPOrganisation.DoesNotExist:
        raise Http404 from None
    ihp = get_ihp_or_404(request, row.ihp_id)
    if not access.can_edit_ihp(access.actor_for(request), ihp):
        raise Http404
    return _removed(
        request,
        lambda: actions.remove_organisation(row=row, by=request.user),
        _("The row has been removed."),
        reverse("careroute:ihp_detail", args=[ihp.pk]) + "#organisation",
    )


@require_POST
def data_point_add(request: HttpRequest, pk: int) -> HttpResponse:
    goal = _goal_or_404(request, pk)
    ihp = goal.ihp
    if not access.can_add_data_point(access.actor_for(request), ihp):
        raise Http404
    form = DataPointForm(
        request.POST,
        action=reverse("careroute:data_point_add", args=[goal.pk]),
        prefix=f"goal{goal.pk}",
    )
    if form.is_valid():
        try:
            actions.add_data_point(
                goal=goal,
                date=form.cleaned_data["date"],
                value=form.cleaned_data["value"],
                observation=form.cleaned_data["observation"],
                by=request.user,
            )
        except ValidationError as problem:
            form.add_error(None, problem)
        else:
            messages.success(request, _("The data point has been added."))
            return redirect(reverse("careroute:ihp_detail", args=[ihp.pk]) + f"#goal-{goal.pk}")
    return _render_ihp(request, ihp, point_forms={goal.pk: form}, status=422)


@require_POST
def data_point_remove(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        point = DataPoint.objects.select_related("goal").get(pk=pk)
    except DataPoint.DoesNotExist:
        raise Http404 from None
    ihp = get_ihp_or_404(request, point.goal.ihp_id)
    if not access.can_add_data_point(access.actor_for(request), ihp):
        raise Http404
    return _removed(
        request,
        lambda: actions.remove_data_point(point=point, by=request.user),
        _("The data point has been removed."),
        reverse("careroute:ihp_detail", args=[ihp.pk]) + f"#goal-{point.goal_id}",
    )


@require_POST
def ihp_start(request: HttpRequest, pk: int) -> HttpResponse:
    """The IB starts the IHP; a refusal lists everything missing."""
    ihp = get_ihp_or_404(request, pk)
    if not access.can_start_ihp(access.actor_for(request), ihp):
        raise Http404
    try:
        actions.start_ihp(ihp=ihp, by=request.user)
    except ValidationError as problem:
        # The page is long: the refusal and its list show at the top, linking to the button.
        return _render_ihp(request, ihp, problems=problem.messages, status=422)
    messages.success(request, _("The IHP has started."))
    return redirect("careroute:ihp_detail", pk=ihp.pk)


@require_POST
def ihp_evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    ihp = get_ihp_or_404(request, pk)
    if not access.can_evaluate_ihp(access.actor_for(request), ihp):
        raise Http404
    goals = list(ihp.goals.order_by("position", "pk"))
    form = EvaluateForm(
        request.POST, ihp=ihp, goals=goals, action=reverse("careroute:ihp_evaluate", args=[ihp.pk])
    )
    if form.is_valid():
        try:
            actions.evaluate_ihp(
                ihp=ihp,
                goal_outcomes=form.goal_outcomes(),
                outcome=form.cleaned_data["outcome"],
                result_sufficient=form.cleaned_data["result_sufficient"] == "yes",
                notes=form.cleaned_data["notes"],
                by=request.user,
            )
        except ValidationError as problem:
            form.add_error(None, problem)
        else:
            messages.success(request, _("The IHP has been evaluated and is now locked."))
            return redirect("careroute:ihp_detail", pk=ihp.pk)
    return _render_ihp(request, ihp, evaluate_form=form, status=422)


@require_POST
def ihp_revise(request: HttpRequest, pk: int) -> HttpResponse:
    ihp = get_ihp_or_404(request, pk)
    if not access.can_revise_ihp(access.actor_for(request), ihp):
        raise Http404
    try:
        new = actions.revise_ihp(ihp=ihp, by=request.user)
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
        return redirect("careroute:ihp_detail", pk=ihp.pk)
    messages.success(request, _("A new IHP has been made from the evaluated one."))
    return redirect("careroute:ihp_detail", pk=new.pk)


# PDFs --------------------------------------------------------------------------------------


def _group(pupil):
    enrolment = (
        Enrolment.objects.running_on(timezone.localdate())
        .filter(pupil=pupil, kind="main")
        .select_related("group")
        .first()
    )
    return enrolment.group if enrolment else None


def _selected_or_404(request: HttpRequest, model, pk: int, field: str):
    """An IHP or OPP for its PDF: as on its page, or for a care-team member when the IB
    selected it for the pupil's case (`access.selected_for_member`)."""
    actor = access.actor_for(request)
    try:
        found = model.objects.select_related("pupil__school", "created_by").get(
            pk=pk, pupil__school=actor.school
        )
    except model.DoesNotExist:
        raise Http404 from None
    if not (
        access.can_view_ihp(actor, found.pupil)
        or access.selected_for_member(actor, **{field: found})
    ):
        raise Http404
    access.note_pupils(request, [found.pupil_id])
    return found


def ihp_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The IHP on paper: the seven sections, the goals with their data and evaluation."""
    ihp = _selected_or_404(request, IHP, pk, "ihp")
    goals = _goals(ihp)
    rows = []
    for number, goal in enumerate(goals, start=1):
        goal.ihp = ihp
        points = list(goal.data_points.all())
        rows.append(
            {"number": number, "goal": goal, "points": points, "chart": chart(goal, points)}
        )
    context = {
        **report_furniture(),
        "school": ihp.pupil.school,
        "ihp": ihp,
        "pupil": ihp.pupil,
        "group": _group(ihp.pupil),
        "goals": rows,
        "organisation": list(
            ihp.organisation.select_related("goal").order_by("goal__position", "pk")
        ),
    }
    pdf = render_pdf("pdf/ihp.html", context, language=translation.get_language())
    return attachment(pdf, "application/pdf", f"{_('ihp')}-{ihp.created_at:%Y-%m-%d}-{ihp.pk}.pdf")


# The OPP -----------------------------------------------------------------------------------


@require_POST
def opp_create(request: HttpRequest, pk: int) -> HttpResponse:
    actor = access.actor_for(request)
    pupil = access.get_pupil_or_404(request, pk, access.Category.LEARNING)
    if not access.can_edit_opp(actor, pupil):
        raise Http404
    opp = opp_actions.create_opp(pupil=pupil, by=request.user)
    messages.success(
        request, _("The OPP has been made; the factors are filled in from the dossier.")
    )
    return redirect("careroute:opp_detail", pk=opp.pk)


def _render_opp(
    request, opp, *, form=None, agreement=None, evaluation=None, current=None, status=200
):
    actor = access.actor_for(request)
    can_edit = access.can_edit_opp(actor, opp.pupil)
    context = {
        "opp": opp,
        "pupil": opp.pupil,
        "can_edit": can_edit,
        "form": form or (OPPForm(opp=opp) if can_edit else None),
        "current": current,
        "agreement_form": agreement
        or (
            AgreementForm(opp=opp, action=reverse("careroute:opp_agreement", args=[opp.pk]))
            if can_edit
            else None
        ),
        "evaluation_form": evaluation
        or (
            OPPEvaluationForm(
                action=reverse("careroute:opp_evaluation_add", args=[opp.pk]),
                initial={"date": timezone.localdate()},
            )
            if can_edit
            else None
        ),
        "evaluations": list(opp.evaluations.select_related("recorded_by").order_by("-date", "-pk")),
    }
    return render(request, "careroute/opp_detail.html", context, status=status)


@require_http_methods(["GET", "POST"])
def opp_detail(request: HttpRequest, pk: int) -> HttpResponse:
    opp = get_opp_or_404(request, pk)
    if request.method == "GET":
        return _render_opp(request, opp)
    if not access.can_edit_opp(access.actor_for(request), opp.pupil):
        raise Http404
    url = reverse("careroute:opp_detail", args=[opp.pk])
    form = OPPForm(request.POST, opp=opp)
    if form.is_valid():
        try:
            opp_actions.save_opp(
                opp=opp,
                values=form.values(),
                seen_version=form.cleaned_data["version"],
                by=request.user,
            )
        except actions.StaleIHP as stale:
            return _stale_opp(request, opp, stale.current)
        except ValidationError as problem:
            form.add_error(None, problem)
        else:
            messages.success(request, _("The OPP has been saved."))
            return redirect(url)
    elif "version" in form.errors:
        return _stale_opp(request, opp, OPP.objects.get(pk=opp.pk))
    return _render_opp(request, opp, form=form, status=422)


def _stale_opp(request, opp: OPP, current: OPP) -> HttpResponse:
    data = request.POST.copy()
    data["version"] = str(current.version)
    form = OPPForm(data, opp=current)
    form.is_valid()
    messages.warning(
        request, _("Someone else saved this while you were editing it. Check both versions.")
    )
    shown = [
        (str(OPP._meta.get_field(name).verbose_name), getattr(current, name))
        for name in opp_actions.OPP_FIELDS
    ]
    return _render_opp(request, current, form=form, current=shown, status=409)


@require_POST
def opp_agreement(request: HttpRequest, pk: int) -> HttpResponse:
    opp = get_opp_or_404(request, pk)
    if not access.can_edit_opp(access.actor_for(request), opp.pupil):
        raise Http404
    form = AgreementForm(
        request.POST, opp=opp, action=reverse("careroute:opp_agreement", args=[opp.pk])
    )
    status = 422
    if form.is_valid():
        try:
            opp_actions.record_agreement(
                opp=opp,
                on=form.cleaned_data["agreed_on"],
                how=form.cleaned_data["how"],
                seen_version=form.cleaned_data["version"],
                by=request.user,
            )
        except actions.StaleIHP:
            form.add_error(
                None,
                _("Someone else saved the OPP meanwhile. Check the support and record again."),
            )
            opp = OPP.objects.select_related("pupil").get(pk=opp.pk)
            status = 409
        except ValidationError as problem:
            form.add_error(None, problem)
        else:
            messages.success(request, _("The parents' agreement has been recorded."))
            return redirect("careroute:opp_detail", pk=opp.pk)
    return _render_opp(request, opp, agreement=form, status=status)


@require_POST
def opp_evaluation_add(request: HttpRequest, pk: int) -> HttpResponse:
    opp = get_opp_or_404(request, pk)
    if not access.can_edit_opp(access.actor_for(request), opp.pupil):
        raise Http404
    form = OPPEvaluationForm(
        request.POST, action=reverse("careroute:opp_evaluation_add", args=[opp.pk])
    )
    if form.is_valid():
        try:
            opp_actions.add_evaluation(
                opp=opp,
                on=form.cleaned_data["date"],
                notes=form.cleaned_data["notes"],
                with_parents=form.cleaned_data["with_parents"],
                by=request.user,
            )
        except ValidationError as problem:
            form.add_error(None, problem)
        else:
            messages.success(request, _("The evaluation has been added."))
            return redirect("careroute:opp_detail", pk=opp.pk)
    return _render_opp(request, opp, evaluation=form, status=422)


def opp_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    opp = _selected_or_404(request, OPP, pk, "opp")
    context = {
        **report_furniture(),
        "school": opp.pupil.school,
        "opp": opp,
        "pupil": opp.pupil,
        "group": _group(opp.pupil),
        "evaluations": list(opp.evaluations.order_by("date", "pk")),
    }
    pdf = render_pdf("pdf/opp.html", context, language=translation.get_language())
    return attachment(pdf, "application/pdf", f"{_('opp')}-{opp.created_at:%Y-%m-%d}-{opp.pk}.pdf")
