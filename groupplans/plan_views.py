"""The group plan: made from the overview, the plan page (one area at a time: the basic
offer, the pupils per subgroup, the subgroups' goals and offer), saves over the version the
person saw, starting it, evaluating it, and the next cycle."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import MultipleChoiceField
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from groupplans import library_actions, plan_actions, plan_view
from groupplans.models import (
    GroupPlan,
    Placement,
    PlanSection,
    PlanStatus,
    Subgroup,
)
from groupplans.plan_forms import (
    CommentForm,
    MoveForm,
    PlacementForm,
    SectionForm,
    SubgroupAddForm,
    SubgroupEvaluationForm,
    SubgroupForm,
)
from hgw import access

PER_PAGE = 25


def plan_list(request: HttpRequest) -> HttpResponse:
    actor = access.actor_for(request)
    if not access.can_view_overviews(actor):
        raise Http404
    plans = access.plans_visible(actor).select_related("group", "period__school_year")
    shown = request.GET.get("status", "")
    if shown not in PlanStatus.values:
        shown = ""
    if shown:
        plans = plans.filter(status=shown)
    page = Paginator(plans.ordered(), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "groupplans/plan_list.html",
        {
            "page": page,
            "status": shown,
            "statuses": PlanStatus.choices,
            "extra_query": f"status={shown}" if shown else "",
            "can_configure_plans": access.can_configure_plans(actor),
        },
    )


@require_POST
def plan_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Make the plan of an overview (pk: the overview)."""
    actor = access.actor_for(request)
    overview = access.get_overview_or_404(request, pk)
    if not access.can_create_plan(actor, overview):
        raise Http404
    try:
        plan = plan_actions.create_plan(overview=overview, by=request.user)
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
        return redirect("groupplans:overview_detail", pk=overview.pk)
    messages.success(request, _("The group plan has been made from the overview."))
    return redirect("groupplans:plan_detail", pk=plan.pk)


# The plan page -----------------------------------------------------------------------------


def _area_url(plan: GroupPlan, section_pk: int | None = None, anchor: str = "") -> str:
    url = reverse("groupplans:plan_detail", kwargs={"pk": plan.pk})
    if section_pk:
        url += f"?gebied={section_pk}"
    return url + (f"#{anchor}" if anchor else "")


def _chosen(data: plan_view.PlanData, request, section_pk=None) -> plan_view.SectionView | None:
    wanted = str(section_pk or request.GET.get("gebied") or request.POST.get("gebied"))
    for section in data.sections:
        if str(section.section.pk) == wanted:
            return section
    return data.sections[0] if data.sections else None


class Conflict:
    """A text as someone else saved it, beside what this person typed, per changed field."""

    def __init__(self, current, form):
        self.by = current.updated_by
        self.fields = []
        for name, field in form.fields.items():
            if name == "version":
                continue
            theirs = getattr(current, name)
            if isinstance(field, MultipleChoiceField):
                yours = ",".join(form.data.getlist(form.add_prefix(name)))
            else:
                yours = form.data.get(form.add_prefix(name), "")
            if str(theirs or "") != str(yours or ""):
                self.fields.append((field.label, theirs, yours))


def _render_plan(
    request, plan, *, bound=None, conflict=None, status=200, partial: str = "", section_pk=None
) -> HttpResponse:
    actor = access.actor_for(request)
    data = plan_view.build(plan)
    access.note_pupils(request, data.pupils)
    if bound is not None:
        section_pk = (
            bound.instance.pk if isinstance(bound, SectionForm) else bound.instance.section_id
        )
    chosen = _chosen(data, request, section_pk)
    can_edit = access.can_edit_plan(actor, plan)
    evaluating = plan.status in (PlanStatus.ACTIVE, PlanStatus.EVALUATED)
    if chosen is not None:
        section = chosen.section
        chosen.url = _area_url(plan, section.pk)
        chosen.form = (
            bound
            if isinstance(bound, SectionForm) and bound.instance.pk == section.pk
            else SectionForm(instance=section)
            if can_edit
            else None
        )
        library = library_actions.school_entries(plan.group.school) if can_edit else []
        for view in chosen.subgroups:
            view.library = library_actions.fitting(
                library, area_id=section.area_id, kind=view.subgroup.kind
            )
            if isinstance(bound, SubgroupForm) and bound.instance.pk == view.subgroup.pk:
                view.form = bound
            else:
                view.form = (
                    SubgroupForm(instance=view.subgroup, period=plan.period) if can_edit else None
                )
            view.conflict = conflict if view.form is bound else None
        chosen.conflict = conflict if chosen.form is bound else None
        # Where a pupil can go: the area's groups, an offer of their own, and in part 2 out.
        targets = [(str(v.subgroup.pk), v.title) for v in chosen.standard]
        targets.append(("individual", _("individual")))
        if not chosen.is_subject:
            targets.append(("none", _("no subgroup")))
        chosen.targets = targets
        # Part 2 has no forced split: a pupil joins a small subgroup or gets an offer of their
        # own from the pupils not yet in one.
        placed = {p.pupil_id for p in section.placements.all()}
        chosen.free_pupils = [
            item.pupil for item in data.items if not item.has_left and item.pupil.pk not in placed
        ]
    context = {
        "plan": plan,
        "data": data,
        "chosen": chosen,
        "can_edit": can_edit,
        "evaluating": evaluating,
        "can_activate": access.can_activate_plan(actor, plan),
        "can_evaluate": access.can_evaluate_plan(actor, plan),
        "can_start_next": access.can_start_next_cycle(actor, plan),
        "can_comment": access.can_comment_plan(actor, plan),
        "problems": plan_view.start_problems(data) if plan.status == PlanStatus.DRAFT else [],
        "comments": plan.comments.select_related("author"),
        "comment_form": CommentForm(),
        "add_form": SubgroupAddForm(),
        "export_links": [
            {"url": reverse(f"groupplans:plan_{kind}", args=[plan.pk]), "label": label}
            for kind, label in (("week", _("Week view")), ("print", _("Print")), ("pdf", "PDF"))
        ],
    }
    template = "groupplans/plan_detail.html" + (f"#{partial}" if partial else "")
    return render(request, template, context, status=status)


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.get_plan_or_404(request, pk)
    return _render_plan(request, plan)


def _editable_plan_or_404(request, pk: int) -> GroupPlan:
    plan = access.get_plan_or_404(request, pk)
    if not access.can_edit_plan(access.actor_for(request), plan):
        raise Http404
    return plan


def _section_or_404(plan: GroupPlan, section_pk) -> PlanSection:
    try:
        return plan.sections.select_related("area", "plan__period").get(pk=section_pk)
    except (PlanSection.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _subgroup_or_404(plan: GroupPlan, subgroup_pk) -> Subgroup:
    try:
        return Subgroup.objects.select_related("section__area").get(
            pk=subgroup_pk, section__plan=plan
        )
    except (Subgroup.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@require_POST
def section_save(request: HttpRequest, pk: int, section_pk: int) -> HttpResponse:
    plan = _editable_plan_or_404(request, pk)
    section = _section_or_404(plan, section_pk)
    return _save(
        request,
        SectionForm(request.POST, instance=section),
        saved_url=_area_url(plan, section.pk, f"section-{section.pk}"),
        back_url=_area_url(plan, section.pk),
        render=partial(_render_plan, request, plan),
    )


@require_POST
def subgroup_save(request: HttpRequest, pk: int, subgroup_pk: int) -> HttpResponse:
    plan = _editable_plan_or_404(request, pk)
    subgroup = _subgroup_or_404(plan, subgroup_pk)
    return _save(
        request,
        SubgroupForm(request.POST, instance=subgroup, period=plan.period),
        saved_url=_area_url(plan, subgroup.section_id, f"subgroup-{subgroup.pk}"),
        back_url=_area_url(plan, subgroup.section_id),
        render=partial(_render_plan, request, plan),
    )


def _save(request, form, *, saved_url: str, back_url: str, render) -> HttpResponse:
    """Save a section's, subgroup's or pupil's texts over the version the person saw. A save
    over a newer version shows both (409); invalid input comes back with its errors (422).
    `render(bound=, conflict=, status=)` shows the page again."""
    if not form.is_valid():
        messages.error(request, _("Not saved: please correct the fields marked below."))
        return render(bound=form, conflict=None, status=422)
    try:
        plan_actions.save_versioned(
            obj=form.instance,
            values=form.values(),
            seen_version=form.cleaned_data["version"],
            by=request.user,
        )
    except plan_actions.Stale as stale:
        conflict = Conflict(stale.current, form)
        # From now on the form stands over the version the person has now been shown.
        form.data = form.data.copy()
        form.data[form.add_prefix("version")] = stale.current.version
        messages.error(request, _("Not saved: someone else changed this in the meantime."))
        return render(bound=form, conflict=conflict, status=409)
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
        return redirect(back_url)
    messages.success(request, _("Saved."))
    return redirect(saved_url)


@require_POST
def placement_move(request: HttpRequest, pk: int, section_pk: int) -> HttpResponse:
    """Put a pupil in a subgroup (a click on a button, or a drop on the subgroup)."""
    plan = _editable_plan_or_404(request, pk)
    section = _section_or_404(plan, section_pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a subgroup."))
        return _board_or_redirect(request, plan, section)
    pupil_id, target = form.cleaned_data["pupil"], form.cleaned_data["subgroup"]
    try:
        if target == "individual":
            plan_actions.place_individually(section=section, pupil_id=pupil_id, by=request.user)
        elif target == "none":
            plan_actions.unplace_pupil(section=section, pupil_id=pupil_id, by=request.user)
        else:
            subgroup = _subgroup_or_404(plan, target)
            plan_actions.place_pupil(
                section=section, pupil_id=pupil_id, subgroup=subgroup, by=request.user
            )
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
    return _board_or_redirect(request, plan, section)


def _board_or_redirect(request, plan, section) -> HttpResponse:
    if request.htmx:
        return _render_plan(request, plan, partial="board", section_pk=section.pk)
    return redirect(_area_url(plan, section.pk, "board"))


@require_POST
def suggestions_accept(request: HttpRequest, pk: int, section_pk: int) -> HttpResponse:
    plan = _editable_plan_or_404(request, pk)
    section = _section_or_404(plan, section_pk)
    try:
        count = plan_actions.accept_suggestions(section=section, by=request.user)
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
    else:
        messages.success(
            request,
            _("%(count)s pupils have been placed as suggested.") % {"count": count},
        )
    return _board_or_redirect(request, plan, section)


@require_POST
def subgroup_add(request: HttpRequest, pk: int, section_pk: int) -> HttpResponse:
    plan = _editable_plan_or_404(request, pk)
    section = _section_or_404(plan, section_pk)
    form = SubgroupAddForm(request.POST)
    if form.is_valid():
        try:
            subgroup = plan_actions.add_subgroup(
                section=section, name=form.cleaned_data["name"], by=request.user
            )
        except ValidationError as problem:
            messages.error(request, " ".join(problem.messages))
        else:
            messages.success(request, _("The subgroup has been added."))
            return redirect(_area_url(plan, section.pk, f"subgroup-{subgroup.pk}"))
    else:
        messages.error(request, _("Give the subgroup a name."))
    return redirect(_area_url(plan, section.pk))


@require_POST
def subgroup_evaluate(request: HttpRequest, pk: int, subgroup_pk: int) -> HttpResponse:
    """A subgroup's outcome (while the plan runs)."""
    plan = access.get_plan_or_404(request, pk)
    if not access.can_evaluate_plan(access.actor_for(request), plan):
        raise Http404
    subgroup = _subgroup_or_404(plan, subgroup_pk)
    form = SubgroupEvaluationForm(request.POST, instance=subgroup)
    url = reverse("groupplans:plan_evaluation", kwargs={"pk": plan.pk})
    url += f"?gebied={subgroup.section_id}#evaluation-{subgroup.pk}"
    return _save(
        request,
        form,
        saved_url=url,
        back_url=url,
        render=partial(_render_evaluation, request, plan),
    )


@require_POST
def placement_save(request: HttpRequest, pk: int, placement_pk: int) -> HttpResponse:
    """One pupil's evaluation (while the plan runs)."""
    plan = access.get_plan_or_404(request, pk)
    try:
        placement = Placement.objects.select_related("pupil", "section").get(
            pk=placement_pk, section__plan=plan
        )
    except Placement.DoesNotExist:
        raise Http404 from None
    access.note_pupils(request, [placement.pupil])
    url = reverse("groupplans:plan_evaluation", kwargs={"pk": plan.pk})
    url += f"?gebied={placement.section_id}#placement-{placement.pk}"
    if not access.can_evaluate_plan(access.actor_for(request), plan):
        raise Http404
    return _save(
        request,
        PlacementForm(request.POST, instance=placement),
        saved_url=url,
        back_url=url,
        render=partial(_render_evaluation, request, plan),
    )


def plan_evaluation(request: HttpRequest, pk: int) -> HttpResponse:
    """Per area: each subgroup's outcome and each pupil's, where it differs."""
    plan = access.get_plan_or_404(request, pk)
    if plan.status == PlanStatus.DRAFT:
        return redirect("groupplans:plan_detail", pk=plan.pk)
    return _render_evaluation(request, plan)


def _render_evaluation(request, plan, *, bound=None, conflict=None, status=200):
    actor = access.actor_for(request)
    data = plan_view.build(plan)
    access.note_pupils(request, data.pupils)
    # After a save, the area of what was saved (its form is not in the query string).
    chosen = _chosen(data, request, bound.instance.section_id if bound is not None else None)
    editable = access.can_evaluate_plan(actor, plan)
    if chosen is not None:
        chosen.url = reverse("groupplans:plan_evaluation", kwargs={"pk": plan.pk})
        chosen.url += f"?gebied={chosen.section.pk}"
        for view in chosen.subgroups:
            if isinstance(bound, SubgroupEvaluationForm) and bound.instance.pk == view.subgroup.pk:
                view.form, view.conflict = bound, conflict
            else:
                view.form = SubgroupEvaluationForm(instance=view.subgroup) if editable else None
                view.conflict = None
            view.rows = []
            for placement in view.placements:
                if isinstance(bound, PlacementForm) and bound.instance.pk == placement.pk:
                    form, shown = bound, conflict
                else:
                    form, shown = (PlacementForm(instance=placement) if editable else None), None
                view.rows.append({"placement": placement, "form": form, "conflict": shown})
    return render(
        request,
        "groupplans/plan_evaluation.html",
        {
            "plan": plan,
            "data": data,
            "chosen": chosen,
            "editable": editable,
            "problems": plan_view.evaluation_problems(data) if editable else [],
        },
        status=status,
    )


# The plan's course -------------------------------------------------------------------------


@require_POST
def plan_activate(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.get_plan_or_404(request, pk)
    if not access.can_activate_plan(access.actor_for(request), plan):
        raise Http404
    try:
        plan_actions.activate_plan(plan=plan, by=request.user)
    except ValidationError as problem:
        messages.error(
            request,
            _("The plan cannot start yet: %(problems)s") % {"problems": " ".join(problem.messages)},
        )
    else:
        messages.success(request, _("The plan is active."))
    return redirect("groupplans:plan_detail", pk=plan.pk)


@require_POST
def plan_evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.get_plan_or_404(request, pk)
    if not access.can_evaluate_plan(access.actor_for(request), plan):
        raise Http404
    try:
        plan_actions.evaluate_plan(plan=plan, by=request.user)
    except ValidationError as problem:
        messages.error(
            request,
            _("The evaluation is not complete: %(problems)s")
            % {"problems": " ".join(problem.messages)},
        )
        return redirect("groupplans:plan_evaluation", pk=plan.pk)
    messages.success(
        request,
        _("The plan has been evaluated; the outcomes go to the next group overview."),
    )
    return redirect("groupplans:plan_detail", pk=plan.pk)


@require_POST
def plan_next_cycle(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.get_plan_or_404(request, pk)
    if not access.can_start_next_cycle(access.actor_for(request), plan):
        raise Http404
    try:
        following = plan_actions.start_next_cycle(plan=plan, by=request.user)
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
        return redirect("groupplans:plan_detail", pk=plan.pk)
    messages.success(
        request,
        _(
            "The overview and the plan of %(period)s have been started from this one. "
            "Check the overview first: the evaluation is in its specific needs."
        )
        % {"period": following.period},
    )
    return redirect("groupplans:plan_detail", pk=following.pk)


@require_POST
def comment_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.get_plan_or_404(request, pk)
    if not access.can_comment_plan(access.actor_for(request), plan):
        raise Http404
    form = CommentForm(request.POST)
    if form.is_valid():
        plan_actions.add_comment(plan=plan, text=form.cleaned_data["text"], by=request.user)
        messages.success(request, _("Your comment has been added."))
        return redirect(_area_url(plan, anchor="comments"))
    messages.error(request, _("Write a comment."))
    return redirect(_area_url(plan, anchor="comments"))
