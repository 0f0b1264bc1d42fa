"""Pages that combine every app: the home page per role and the pupil's dossier shell."""

from django.contrib.auth.decorators import login_not_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import resolve, reverse
from django.utils.safestring import mark_safe

from accounts.models import Role
from groupplans.models import GroupOverview, OverviewStatus
from hgw import access
from hgw.dossier import available_tabs
from meetings import action_point_views
from pupils.models import Enrolment
from schools.models import Period, SchoolYear

CARE_TEAM_PUPILS_SHOWN = 25


def home(request: HttpRequest) -> HttpResponse:
    actor = access.actor_for(request)
    year = SchoolYear.current(actor.today)
    context = {"year": year, "actor_roles": actor.roles}
    if actor.school is not None:
        context["period"] = Period.objects.for_school(actor.school).on(actor.today).first()
    if actor.has(Role.TEACHER):
        my_groups = list(
            access.groups_visible(actor.only_as(Role.TEACHER))
            .with_pupil_counts(actor.today)
            .ordered()
        )
        _attach_overviews(my_groups, context.get("period"))
        context["my_groups"] = my_groups
    if actor.has(Role.CARE_COORDINATOR, Role.SCHOOL_ADMIN):
        school_groups = list(
            access.groups_visible(actor).in_year(year).with_pupil_counts(actor.today).ordered()
        )
        if actor.has(Role.CARE_COORDINATOR):
            # This period's overview of each group, and how many wait for the group meeting.
            _attach_overviews(school_groups, context.get("period"))
            context["overviews_waiting"] = (
                access.overviews_visible(actor).filter(status=OverviewStatus.SENT).count()
            )
        context["school_groups"] = school_groups
    if actor.has(Role.CARE_COORDINATOR):
        context["next_meetings"] = list(
            access.meetings_visible(actor)
            .upcoming(actor.today)
            .select_related("group")
            .ordered()[:3]
        )
    if actor.has(Role.CARE_TEAM_MEMBER):
        # The pupils the care team discusses with the parents' consent (a handful), and the
        # care-team meetings the member attends.
        pupils = access.care_team_pupils_visible(actor).order_by("family_name", "given_name", "pk")
        shown = list(pupils[:CARE_TEAM_PUPILS_SHOWN])
        context["care_team_pupils"] = shown
        access.note_pupils(request, shown)
        more = len(shown) == CARE_TEAM_PUPILS_SHOWN and pupils.count() - len(shown)
        context["care_team_pupils_more"] = more or 0
        context["member_meetings"] = list(
            access.meetings_visible(actor).upcoming(actor.today).ordered()[:3]
        )
    context.update(action_point_views.home_context(actor))
    if actor.has(Role.DIRECTOR):
        context["summary"] = _school_summary(actor, year)
    return render(request, "hgw/home.html", context)


def _attach_overviews(groups: list, period: Period | None) -> None:
    """Give each group its overview of `period` (or None), with its plan, in one query."""
    overviews = {
        overview.group_id: overview
        for overview in GroupOverview.objects.filter(
            group__in=[g.pk for g in groups], period=period
        ).select_related("plan")
    }
    for group in groups:
        group.current_overview = overviews.get(group.pk)


def _school_summary(actor: access.Actor, year: SchoolYear | None) -> dict:
    running = Enrolment.objects.running_on(actor.today).filter(
        group__school=actor.school, kind="main"
    )
    by_grade = (
        running.values("group__grade_low")
        .annotate(pupils=Count("pupil", distinct=True))
        .order_by("group__grade_low")
    )
    return {
        "pupils": running.values("pupil").distinct().count(),
        "groups": access.groups_visible(actor).in_year(year).count(),
        "by_grade": list(by_grade),
    }


def pupil_dossier(request: HttpRequest, pk: int, tab: str | None = None) -> HttpResponse:
    """The dossier shell: a header and the tabs the person may see, with one tab embedded."""
    actor = access.actor_for(request)
    pupil = access.get_pupil_or_404(request, pk)
    tabs = available_tabs(
        access.categories_for(actor),
        teacher=actor.has(Role.TEACHER) and access.can_view(actor, pupil, access.Category.LEARNING),
    )
    if tab is None:
        return redirect("pupil_dossier_tab", pk=pk, tab=tabs[0].slug)
    current = next((t for t in tabs if t.slug == tab), None)
    if current is None:
        raise Http404
    tab_url = reverse(current.url_name, kwargs={"pk": pk})
    # The tab's own view does its own access check and renders its fragment.
    tab_response = resolve(tab_url).func(request, pk=pk)
    if tab_response.status_code != 200:
        return tab_response
    return render(
        request,
        "hgw/pupil_dossier.html",
        {
            "pupil": pupil,
            "tabs": tabs,
            "current_tab": current,
            # Safe: the tab is our own rendered template, escaped by its own engine.
            "tab_content": mark_safe(tab_response.content.decode()),
            "main_enrolment": Enrolment.objects.running_on(actor.today)
            .filter(pupil=pupil, kind="main")
            .select_related("group")
            .first(),
            "today": actor.today,
            "can_register": access.can_register(actor, pupil),
        },
    )


@login_not_required
def health(request: HttpRequest) -> HttpResponse:
    """For the load balancer: answers without touching pupil data."""
    return HttpResponse("ok", content_type="text/plain")
