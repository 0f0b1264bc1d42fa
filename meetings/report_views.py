"""The reports of signed-off meetings as PDF: a group meeting's report, filed with the group
(the IB, the director and the group's teachers), and one pupil's report of a pupil meeting
or a care-team meeting, filed in that pupil's dossier (it holds that pupil alone, so it can
go into their dossier and, later, a referral). Rendered in the request: a report is two or
three pages. File names carry the kind and the date, never a pupil's name.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from groupplans.export_views import page_furniture_css
from hgw import access
from hgw.downloads import attachment
from hgw.pdf import render_pdf, static_file_url
from meetings.item_views import get_item_report_or_404, shown_fields
from meetings.models import AGENDA, ActionPoint, Meeting, MeetingItem, MeetingKind, Minutes
from pupils.models import Enrolment

STYLESHEETS = ["pdf/document.css", "css/meeting-report.css"]


def report_furniture() -> dict:
    """What every printed report needs: its stylesheets and the page header and footer (the
    meetings' reports, the IHP and OPP)."""
    printed_on = timezone.localdate()
    return {
        "printed_on": printed_on,
        "stylesheets": [static_file_url(name) for name in STYLESHEETS],
        # Safe: the words are translations, escaped for CSS by page_furniture_css.
        "page_css": mark_safe(page_furniture_css(printed_on)),
    }


def _attendees(meeting: Meeting) -> list:
    return list(meeting.attendees.select_related("user").order_by("pk"))


def _action_points(actor, meeting: Meeting, item: MeetingItem | None = None):
    """The meeting's action points (for one pupil's report: only theirs), with the pupil's
    name only where the reader may see that pupil."""
    points = ActionPoint.objects.filter(meeting=meeting).select_related("owner", "item__pupil")
    if item is not None:
        points = points.filter(item=item)
    points = list(points.order_by("due_date", "pk"))
    items = [point.item for point in points if point.item_id]
    # In one pupil's report every point is about that pupil, whom the reader may see.
    visible = {item.pupil_id} if item else access.item_pupils_visible(actor, items)
    return [(point, point.item_id and point.item.pupil_id in visible) for point in points]


def meeting_report(request: HttpRequest, pk: int) -> HttpResponse:
    """A signed-off group meeting's report: the agenda's minutes and the IB's report, the
    pupils zoomed in on, the action points and the addenda. Not the teacher's own summary."""
    actor = access.actor_for(request)
    meeting = access.get_meeting_or_404(request, pk)
    if not access.can_download_meeting_report(actor, meeting):
        raise Http404
    minutes = Minutes.objects.filter(meeting=meeting).first() or Minutes(meeting=meeting)
    items = list(meeting.items.select_related("pupil").order_by("position", "pk"))
    visible = access.item_pupils_visible(actor, items)
    access.note_pupils(request, sorted(visible))
    context = {
        **report_furniture(),
        "school": meeting.school,
        "meeting": meeting,
        "attendees": _attendees(meeting),
        "agenda": [(label, getattr(minutes, name)) for name, label in AGENDA],
        "report": minutes.report,
        "items": [item for item in items if item.pupil_id in visible],
        "action_points": _action_points(actor, meeting),
        "addenda": list(
            meeting.addenda.filter(item=None).select_related("author").order_by("created_at")
        ),
    }
    pdf = render_pdf("pdf/meeting_report.html", context, language=translation.get_language())
    name = _("group-meeting-%(group)s-%(date)s.pdf") % {
        "group": meeting.group.name.lower().replace(" ", "-"),
        "date": f"{meeting.date:%Y-%m-%d}",
    }
    return attachment(pdf, "application/pdf", name)


def item_report(request: HttpRequest, pk: int) -> HttpResponse:
    """One pupil's report of a signed-off pupil meeting (registration, growth document,
    outcome) or care-team meeting (question, documents, advice, agreements, follow-up)."""
    actor = access.actor_for(request)
    item = get_item_report_or_404(request, pk)
    meeting = item.meeting
    enrolment = (
        Enrolment.objects.running_on(meeting.date)
        .filter(pupil=item.pupil, kind="main")
        .select_related("group")
        .first()
    )
    registration = item.registration if item.registration_id else None
    context = {
        **report_furniture(),
        "school": meeting.school,
        "meeting": meeting,
        "item": item,
        "pupil": item.pupil,
        "group": enrolment.group if enrolment else None,
        "registration": registration,
        "attendees": _attendees(meeting),
        "fields": shown_fields(actor, item),
        "action_points": _action_points(actor, meeting, item),
        "addenda": list(item.addenda.select_related("author").order_by("created_at")),
    }
    pdf = render_pdf("pdf/meeting_item_report.html", context, language=translation.get_language())
    kind = _("pupil-meeting") if meeting.kind == MeetingKind.PUPIL else _("care-team")
    return attachment(pdf, "application/pdf", f"{kind}-{meeting.date:%Y-%m-%d}-{item.pk}.pdf")
