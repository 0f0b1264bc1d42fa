"""The pupil's dossier tab "plannen": the group plans the pupil was placed in."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from groupplans.pupil_plans import areas_in, plans_of
from hgw import access

PLANS_PER_PAGE = 5


def pupil_plans(request: HttpRequest, pk: int) -> HttpResponse:
    """Newest period first, per plan the pupil's subgroup in each area, its goals and how it
    went. Whoever sees the pupil's learning data sees their whole history of plans; the link
    to a plan's own page shows only where the person may open that plan."""
    actor = access.actor_for(request)
    pupil = access.get_pupil_or_404(request, pk, access.Category.LEARNING)
    page = Paginator(plans_of(pupil.pk), PLANS_PER_PAGE).get_page(request.GET.get("page"))
    plans = areas_in(pupil.pk, page.object_list)
    openable = set(
        access.plans_visible(actor)
        .filter(pk__in=[item.plan.pk for item in plans])
        .values_list("pk", flat=True)
    )
    return render(
        request,
        "groupplans/pupil_plans.html",
        {"pupil": pupil, "page": page, "plans": plans, "openable": openable},
    )
