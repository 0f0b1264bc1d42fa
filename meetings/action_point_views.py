"""The action points' pages: the part of the meeting page that lists them (and the IB's form
to add one), "My actions", the IB's "All action points" of the school, and the posts that add,
complete, reopen and correct one."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hgw import access
from meetings import action_points
from meetings.action_point_forms import ActionPointEditForm, ActionPointForm
from meetings.forms import stale_form
from meetings.models import ActionPoint, Meeting
from schools.numbers import whole_number

PER_PAGE = 25
HOME_OVERDUE = 5

# The filter of the lists, by the value in the address (Dutch, like the addresses).
STATUS_OPEN, STATUS_DONE, STATUS_ALL = "open", "afgerond", "alle"


def _rows(actor: access.Actor, request: HttpRequest, points: list[ActionPoint]) -> list[dict]:
    """What a list shows per action point; a pupil's name only to those who may see the pupil
    (the others read "a pupil"). Two queries for any number of rows."""
    visible = access.action_point_pupils_visible(actor, points)
    access.note_pupils(request, sorted(visible))
    meetings = access.meeting_ids_visible(actor, {p.meeting_id for p in points})
    rows = []
    for point in points:
        pupil = None
        if point.item_id is not None:
            pupil = point.item.pupil.full_name if point.item.pupil_id in visible else _("a pupil")
        rows.append(
            {
                "point": point,
                "pupil": pupil,
                "overdue": not point.is_done and point.due_date < actor.today,
                "meeting_link": point.meeting_id in meetings,
                "can_complete": access.can_complete_action_point(actor, point),
                "can_edit": access.can_edit_action_point(actor, point),
            }
        )
    return rows


def _with_related(points):
    return points.select_related("meeting__school", "meeting__group", "owner", "item__pupil")


def _add_form(actor: access.Actor, meeting: Meeting, data=None) -> ActionPointForm:
    items = list(meeting.items.select_related("pupil").order_by("position", "pk"))
    visible = access.item_pupils_visible(actor, items)
    return ActionPointForm(
        data,
        owners=action_points.possible_owners(meeting.school, actor.today),
        items=(
            meeting.items.filter(pupil_id__in=visible)
            .select_related("pupil")
            .order_by("position", "pk")
            if visible
            else None
        ),
        action=reverse("meetings:action_point_add", args=[meeting.pk]),
    )


def action_points_context(
    actor: access.Actor, request: HttpRequest, meeting: Meeting, form=None
) -> dict:
    """The meeting page's part: the action points the actor may see, and the IB's form."""
    points = list(
        _with_related(access.action_points_visible(actor).filter(meeting=meeting)).ordered()
    )
    can_add = access.can_add_action_point(actor, meeting)
    return {
        "action_point_rows": _rows(actor, request, points),
        "can_add_action_point": can_add,
        "action_point_form": form or (_add_form(actor, meeting) if can_add else None),
        "action_points_next": reverse("meetings:meeting_detail", args=[meeting.pk]),
    }


@require_POST
def action_point_add(request: HttpRequest, pk: int) -> HttpResponse:
    from meetings.views import _render_detail

    actor = access.actor_for(request)
    meeting = access.get_meeting_or_404(request, pk)
    if not access.can_add_action_point(actor, meeting):
        raise Http404
    form = _add_form(actor, meeting, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            action_points.add_action_point(
                meeting=meeting,
                description=data["description"],
                owner=data["owner"],
                due_date=data["due_date"],
                item=data.get("item"),
                by=request.user,
                today=actor.today,
            )
        except ValidationError as problem:
            form.add_error(None, problem)
        else:
            messages.success(request, _("The action point has been added."))
            return redirect(reverse("meetings:meeting_detail", args=[meeting.pk]) + "#actions")
    return _render_detail(request, meeting, status=422, action_point_form=form)


def _back(request: HttpRequest) -> str:
    """Where a post from a list returns: the page it came from (on this site), else My
    actions."""
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("meetings:my_actions")


def _toggle(request: HttpRequest, pk: int, change, done: str) -> HttpResponse:
    actor = access.actor_for(request)
    point = access.get_action_point_or_404(request, pk)
    if not access.can_complete_action_point(actor, point):
        raise Http404
    seen = whole_number(request.POST.get("version"))
    if seen is None:
        messages.error(request, _("This action point could not be changed; please try again."))
        return redirect(_back(request))
    try:
        change(action=point, seen_version=seen, by=request.user)
    except action_points.StaleActionPoint as stale:
        state = _("done") if stale.current.is_done else _("open")
        messages.warning(
            request,
            _(
                "Someone else changed this action point meanwhile (it is now %(state)s); "
                "nothing was changed. Check it and try again."
            )
            % {"state": state},
        )
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
    else:
        messages.success(request, done)
    return redirect(_back(request))


@require_POST
def action_point_complete(request: HttpRequest, pk: int) -> HttpResponse:
    return _toggle(request, pk, action_points.complete, _("The action point has been done."))


@require_POST
def action_point_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    return _toggle(request, pk, action_points.reopen, _("The action point is open again."))


@require_http_methods(["GET", "POST"])
def action_point_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct an open action point. A save over a version the person never saw is refused,
    with the version saved meanwhile beside what they typed."""
    actor = access.actor_for(request)
    point = access.get_action_point_or_404(request, pk)
    if not access.can_edit_action_point(actor, point):
        raise Http404
    url = reverse("meetings:action_point_edit", args=[point.pk])
    owners = action_points.possible_owners(point.meeting.school, actor.today)
    form = ActionPointEditForm(request.POST or None, point=point, owners=owners, action=url)
    context = {
        "point": point,
        "meeting": point.meeting,
        "form": form,
        "pupil": _note_item(request, actor, point),
    }
    if request.method == "GET":
        return render(request, "meetings/action_point_edit.html", context)
    if form.is_valid():
        data = form.cleaned_data
        try:
            action_points.edit_action_point(
                action=point,
                description=data["description"],
                owner=data["owner"],
                due_date=data["due_date"],
                seen_version=data["version"],
                by=request.user,
                today=actor.today,
            )
        except action_points.StaleActionPoint as stale:
            return _conflict(request, stale.current, owners, url)
        except ValidationError as problem:
            form.add_error(None, problem)
        else:
            messages.success(request, _("The action point has been saved."))
            return redirect(
                reverse("meetings:meeting_detail", args=[point.meeting_id]) + "#actions"
            )
    elif "version" in form.errors:
        current = ActionPoint.objects.select_related("meeting", "owner").get(pk=point.pk)
        return _conflict(request, current, owners, url)
    return render(request, "meetings/action_point_edit.html", context, status=422)


def _note_item(request, actor, point: ActionPoint) -> str | None:
    if point.item_id is None:
        return None
    visible = access.action_point_pupils_visible(actor, [point])
    access.note_pupils(request, sorted(visible))
    return point.item.pupil.full_name if visible else _("a pupil")


def _conflict(request, current: ActionPoint, owners, url: str) -> HttpResponse:
    form = stale_form(
        request,
        current,
        lambda data: ActionPointEditForm(data, point=current, owners=owners, action=url),
        _("Someone else changed this action point while you were editing it. Check both versions."),
    )
    return render(
        request,
        "meetings/action_point_edit.html",
        {"point": current, "meeting": current.meeting, "form": form, "current": current},
    )


# The lists ---------------------------------------------------------------------------------


def _status(request: HttpRequest) -> str:
    value = request.GET.get("status", STATUS_OPEN)
    return value if value in (STATUS_OPEN, STATUS_DONE, STATUS_ALL) else STATUS_OPEN


def _filtered(points, status: str):
    if status == STATUS_OPEN:
        return points.open()
    if status == STATUS_DONE:
        return points.done()
    return points


def _statuses() -> list[tuple[str, str]]:
    return [(STATUS_OPEN, _("Open")), (STATUS_DONE, _("Done")), (STATUS_ALL, _("All"))]


def my_actions(request: HttpRequest) -> HttpResponse:
    """The person's own action points: open first by due date, then the done ones."""
    actor = access.actor_for(request)
    if not access.can_have_action_points(actor):
        raise Http404
    status = _status(request)
    points = _filtered(access.action_points_visible(actor).filter(owner=actor.user), status)
    page = Paginator(_with_related(points).ordered(), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/my_actions.html",
        {
            "page": page,
            "rows": _rows(actor, request, list(page.object_list)),
            "status": status,
            "statuses": _statuses(),
            "extra_query": f"status={status}",
            "next": request.get_full_path(),
            "school_wide": False,
            "hide_owner": True,  # all one's own
            "can_view_school": access.can_view_school_action_points(actor),
        },
    )


def school_actions(request: HttpRequest) -> HttpResponse:
    """The IB's overview: the school's action points (open ones unless asked otherwise), of
    one owner if chosen."""
    actor = access.actor_for(request)
    if not access.can_view_school_action_points(actor):
        raise Http404
    status = _status(request)
    points = _filtered(access.action_points_visible(actor), status)
    owners = action_points.possible_owners(actor.school, actor.today)
    wanted = whole_number(request.GET.get("eigenaar"))
    owner = owners.filter(pk=wanted).first() if wanted is not None else None
    if owner is not None:
        points = points.filter(owner=owner)
    page = Paginator(_with_related(points).ordered(), PER_PAGE).get_page(request.GET.get("page"))
    query = f"status={status}" + (f"&eigenaar={owner.pk}" if owner else "")
    return render(
        request,
        "meetings/my_actions.html",
        {
            "page": page,
            "rows": _rows(actor, request, list(page.object_list)),
            "status": status,
            "statuses": _statuses(),
            "extra_query": query,
            "next": request.get_full_path(),
            "school_wide": True,
            "owners": owners,
            "owner": owner,
        },
    )


def home_context(actor: access.Actor) -> dict:
    """The home page's card: the person's overdue action points and how many are open. Three
    queries, however many there are."""
    if not access.can_have_action_points(actor):
        return {}
    mine = access.action_points_visible(actor).filter(owner=actor.user)
    counts = mine.aggregate(
        open=Count("pk", filter=Q(done_at__isnull=True)),
        overdue=Count("pk", filter=Q(done_at__isnull=True, due_date__lt=actor.today)),
    )
    overdue = list(
        mine.overdue(actor.today).select_related("meeting__group").ordered()[:HOME_OVERDUE]
    )
    meetings = access.meeting_ids_visible(actor, {p.meeting_id for p in overdue})
    return {
        "action_card": {
            "open": counts["open"],
            "overdue_count": counts["overdue"],
            "overdue": [(p, p.meeting_id in meetings) for p in overdue],
        }
    }
