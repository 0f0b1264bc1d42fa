"""The group plan: made from the overview, the plan page (areas, subgroups, placements), the
texts saved over the version the person saw, starting it, evaluating it, the next cycle."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from groupplans import plan_actions, plan_view
from groupplans.models import PlanStatus
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


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = access.actor_for(request)
    plan = access.get_plan_or_404(request, pk)
    data = plan_view.build(plan)
    access.note_pupils(request, data.pupils)
    return render(
        request,
        "groupplans/plan_detail.html",
        {
            "plan": plan,
            "data": data,
            "can_edit": access.can_edit_plan(actor, plan),
        },
    )
