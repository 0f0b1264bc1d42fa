from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models.functions import Lower
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.log import note_pupils
from hgw import access
from pupils.actions import assign_teacher
from pupils.forms import TeacherAssignmentForm
from pupils.models import Enrolment, GroupTeacherAssignment
from schools.models import SchoolYear

# Sort keys a group page accepts, and how each orders the pupils.
GROUP_SORTS = {
    "name": ("family", "given"),
    "-name": ("-family", "-given"),
    "birth": ("date_of_birth",),
    "-birth": ("-date_of_birth",),
}


def group_list(request: HttpRequest) -> HttpResponse:
    actor = access.actor_for(request)
    years = SchoolYear.objects.filter(groups__in=access.groups_visible(actor)).distinct()
    current = SchoolYear.current(actor.today)
    year_param = request.GET.get("jaar", "")
    year = next((y for y in years if str(y.start_year) == year_param), None) or current
    groups = access.groups_visible(actor).in_year(year).with_pupil_counts(actor.today).ordered()
    page = Paginator(groups, 40).get_page(request.GET.get("page"))
    return render(
        request,
        "pupils/group_list.html",
        {
            "page": page,
            "years": years,
            "year": year,
            "extra_query": f"jaar={year.start_year}" if year else "",
        },
    )


def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = access.actor_for(request)
    group = access.get_group_or_404(request, pk)
    sort = request.GET.get("sort", "name")
    form = _assignment_form(actor, group) if access.can_assign_teachers(actor, group) else None
    return _render_group(request, actor, group, sort=sort, form=form)


@require_POST
def assignment_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = access.actor_for(request)
    group = access.get_group_or_404(request, pk)
    if not access.can_assign_teachers(actor, group):
        raise Http404
    form = _assignment_form(actor, group, request.POST)
    if not form.is_valid():
        return _render_group(request, actor, group, sort="name", form=form)
    assign_teacher(
        group=group,
        teacher=form.cleaned_data["teacher"],
        start_date=form.cleaned_data["start_date"],
        end_date=form.end_date,
        is_substitute=form.cleaned_data["is_substitute"],
    )
    messages.success(request, _("The teacher has been added to the group."))
    return redirect("pupils:group_detail", pk=group.pk)


def _assignment_form(actor, group, data=None) -> TeacherAssignmentForm:
    return TeacherAssignmentForm(
        data,
        school=actor.school,
        action=reverse("pupils:assignment_add", kwargs={"pk": group.pk}),
    )


def _render_group(request, actor, group, *, sort: str, form) -> HttpResponse:
    """The group page: its pupils today (sortable), its teachers, and the assignment form."""
    if sort not in GROUP_SORTS:
        sort = "name"
    pupils = list(
        access.pupils_visible(actor)
        .in_group(group, on=actor.today)
        .annotate(family=Lower("family_name"), given=Lower("given_name"))
        .order_by(*GROUP_SORTS[sort], "pk")
    )
    note_pupils(request, pupils)
    return render(
        request,
        "pupils/group_detail.html",
        {
            "group": group,
            "pupils": pupils,
            "sort": sort,
            "today": actor.today,
            "assignments": GroupTeacherAssignment.objects.filter(group=group)
            .select_related("teacher")
            .order_by("-start_date", "teacher__full_name"),
            "can_assign_teachers": form is not None,
            "form": form,
        },
    )


def pupil_list(request: HttpRequest) -> HttpResponse:
    actor = access.actor_for(request)
    if not access.can_search_pupils(actor):
        raise Http404
    # Searched by POST so that names stay out of URLs and server logs.
    query = request.POST.get("q", "").strip()[:100]
    pupils = access.pupils_visible(actor)
    if query:
        pupils = pupils.search(query)
    page = Paginator(pupils.ordered(), 50).get_page(request.POST.get("page"))
    rows = list(page.object_list)
    current = {
        e.pupil_id: e.group
        for e in Enrolment.objects.running_on(actor.today)
        .filter(pupil__in=rows, kind="main")
        .select_related("group")
    }
    for pupil in rows:
        pupil.current_group = current.get(pupil.pk)
    note_pupils(request, rows)
    return render(request, "pupils/pupil_list.html", {"page": page, "rows": rows, "q": query})


def pupil_basic(request: HttpRequest, pk: int) -> HttpResponse:
    """The dossier tab "gegevens": the pupil's details, groups and guardians."""
    pupil = access.get_pupil_or_404(request, pk, access.Category.BASIC)
    enrolments = (
        Enrolment.objects.filter(pupil=pupil)
        .select_related("group__school_year")
        .order_by("-start_date")
    )
    return render(
        request,
        "pupils/pupil_basic.html",
        {
            "pupil": pupil,
            "enrolments": enrolments,
            "guardians": pupil.guardians.all(),
            "today": timezone.localdate(),
        },
    )
