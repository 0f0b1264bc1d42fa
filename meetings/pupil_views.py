"""The meetings in a pupil's dossier (tab "besprekingen") and a group's meetings with their
reports: where the reports are filed."""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from hgw import access
from meetings.models import MeetingItem, MeetingKind, MeetingStatus

ITEMS_PER_PAGE = 10
MEETINGS_PER_PAGE = 20


def pupil_meetings(request: HttpRequest, pk: int) -> HttpResponse:
    """Every meeting that discussed the pupil, newest first: kind, date, status, the outcome
    of a pupil meeting and, once signed off, the report (PDF). A care-team item's advice is
    summarised only for those who may read it."""
    actor = access.actor_for(request)
    pupil = access.get_pupil_or_404(request, pk, access.Category.LEARNING)
    items = (
        MeetingItem.objects.filter(pupil=pupil, meeting__school=pupil.school_id)
        .select_related("meeting__group", "meeting__period", "registration")
        .order_by("-meeting__date", "-pk")
    )
    page = Paginator(items, ITEMS_PER_PAGE).get_page(request.GET.get("page"))
    # The pupil is visible (or the page would be a 404), so no query per item.
    visible = {pupil.pk}
    rows = [
        {
            "item": item,
            "meeting": item.meeting,
            "advice": item.meeting.kind == MeetingKind.CARE_TEAM
            and access.can_view_advice(actor, item, visible),
            "report": access.can_download_item_report(actor, item, visible),
        }
        for item in page.object_list
    ]
    return render(
        request, "meetings/pupil_meetings.html", {"pupil": pupil, "page": page, "rows": rows}
    )


def group_meetings(request: HttpRequest, pk: int) -> HttpResponse:
    """A group's meetings over the years, with the report of each signed-off one."""
    actor = access.actor_for(request)
    group = access.get_group_or_404(request, pk)
    if not access.can_view_meetings(actor):
        raise Http404
    meetings = (
        access.meetings_visible(actor)
        .filter(group=group, kind=MeetingKind.GROUP)
        .select_related("period")
        .order_by("-date", "-pk")
    )
    page = Paginator(meetings, MEETINGS_PER_PAGE).get_page(request.GET.get("page"))
    reports = access.groups_visible(actor).filter(pk=group.pk).exists()
    return render(
        request,
        "meetings/group_meetings.html",
        {
            "group": group,
            "page": page,
            "reports": reports,
            "signed_off": MeetingStatus.SIGNED_OFF,
        },
    )
