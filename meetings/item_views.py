"""One pupil on a meeting's agenda: a group meeting's notes about them, a care-team item's
question, advice, agreements and follow-up (the advice shared with the teacher by the IB),
and the dated addenda after sign-off. A pupil meeting's growth document is shown here too.

Only people who may see the pupil's learning data reach an item; a care-team item's advice
is sensitive (`access.can_view_advice`). Every page notes the pupil in the access log.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hgw import access
from meetings import actions
from meetings.forms import AddendumForm, ItemMinutesForm, ZoomInForm, stale_form
from meetings.models import Meeting, MeetingItem, MeetingKind, MeetingStatus

# The fields the IB writes on the item's page, per kind (a pupil meeting's growth document is
# written on the meeting's page).
EDITED_HERE = {
    MeetingKind.GROUP: ["notes"],
    MeetingKind.CARE_TEAM: ["question", "advice", "agreements", "follow_up"],
}
# A care-team item's sensitive fields: shown to whom `access.can_view_advice` allows.
ADVICE_FIELDS = ["advice", "agreements", "follow_up"]


def _item_or_404(request: HttpRequest, pk: int, allowed) -> MeetingItem:
    actor = access.actor_for(request)
    try:
        item = MeetingItem.objects.select_related(
            "meeting__group",
            "meeting__period",
            "meeting__signed_off_by",
            "pupil",
            "shared_by",
            "registration__submitted_by",
        ).get(pk=pk, meeting__school=actor.school)
    except MeetingItem.DoesNotExist:
        raise Http404 from None
    if not allowed(actor, item):
        raise Http404
    access.note_pupils(request, [item.pupil_id])
    return item


def get_item_or_404(request: HttpRequest, pk: int) -> MeetingItem:
    """The item's page, for whoever may see its pupil's learning data at the meeting's
    school: the IB and the director, and the pupil's teacher even when they did not attend;
    a care-team member the items of the care-team meetings they attend."""
    return _item_or_404(request, pk, access.can_view_item)


def get_item_report_or_404(request: HttpRequest, pk: int) -> MeetingItem:
    """The item as a document (its report), for whoever may download it: also a care-team
    member for an item the IB selected for their case, whose page stays closed to them."""
    return _item_or_404(request, pk, access.can_download_item_report)


def _label(item: MeetingItem, name: str) -> str:
    label = str(item._meta.get_field(name).verbose_name)
    return label[:1].upper() + label[1:]


def shown_fields(actor: access.Actor, item: MeetingItem) -> list[tuple[str, str]]:
    """The item's minutes the person may read, as (label, text), in the form's order."""
    names = list(actions.ITEM_FIELDS[item.meeting.kind])
    if item.meeting.kind == MeetingKind.CARE_TEAM and not access.can_view_advice(actor, item):
        names = [name for name in names if name not in ADVICE_FIELDS]
    shown = []
    for name in names:
        if name == "outcome":
            shown.append((_label(item, name), item.get_outcome_display()))
        else:
            shown.append((_label(item, name), getattr(item, name)))
    return shown


def _form(item: MeetingItem, data=None) -> ItemMinutesForm:
    return ItemMinutesForm(
        data,
        item=item,
        names=EDITED_HERE[item.meeting.kind],
        action=reverse("meetings:item_detail", args=[item.pk]),
    )


def _can_edit(actor: access.Actor, item: MeetingItem) -> bool:
    return item.meeting.kind in EDITED_HERE and access.can_minute_meeting(actor, item.meeting)


def _render(request, item, *, form=None, addendum_form=None, current=None, status=200):
    actor = access.actor_for(request)
    meeting = item.meeting
    can_edit = _can_edit(actor, item)
    can_addendum = meeting.kind != MeetingKind.GROUP and access.can_add_addendum(actor, meeting)
    context = {
        "item": item,
        "meeting": meeting,
        "pupil": item.pupil,
        "fields": shown_fields(actor, item),
        # The pupil's dossier (tab "besprekingen"): not the care team's external member's.
        "can_open_dossier": access.can_view(actor, item.pupil, access.Category.LEARNING),
        "form": form or (_form(item) if can_edit else None),
        "current": current,
        "current_fields": shown_fields(actor, current) if current else None,
        "shows_advice": meeting.kind == MeetingKind.CARE_TEAM
        and access.can_view_advice(actor, item),
        "advice_withheld": meeting.kind == MeetingKind.CARE_TEAM
        and not access.can_view_advice(actor, item),
        "can_share": access.can_share_advice(actor, item),
        # The IB, who will share the advice with the teacher once the minutes are signed off.
        "can_share_later": meeting.kind == MeetingKind.CARE_TEAM
        and item.shared_at is None
        and access.can_minute_meeting(actor, meeting),
        "can_remove": meeting.kind == MeetingKind.GROUP and can_edit,
        "addenda": list(item.addenda.select_related("author").order_by("created_at", "pk")),
        "addendum_form": addendum_form
        or (
            AddendumForm(action=reverse("meetings:item_addendum_add", args=[item.pk]))
            if can_addendum
            else None
        ),
        "can_download_report": access.can_download_item_report(actor, item),
    }
    return render(request, "meetings/item_detail.html", context, status=status)


@require_http_methods(["GET", "POST"])
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the item. POST: the IB saves its minutes over the version they saw; 422 keeps
    what they typed, 409 shows the version saved meanwhile beside it."""
    item = get_item_or_404(request, pk)
    if request.method == "GET":
        return _render(request, item)
    actor = access.actor_for(request)
    if not _can_edit(actor, item):
        raise Http404
    form = _form(item, request.POST)
    if form.is_valid():
        try:
            actions.save_item(
                item=item,
                values=form.values(),
                seen_version=form.cleaned_data["version"],
                by=request.user,
            )
        except actions.StaleMinutes as stale:
            return _stale(request, item, stale.current)
        except ValidationError as problem:
            form.add_error(None, problem)
        else:
            messages.success(request, _("The minutes have been saved."))
            return redirect("meetings:item_detail", pk=item.pk)
    elif "version" in form.errors:
        return _stale(request, item, MeetingItem.objects.get(pk=item.pk))
    return _render(request, item, form=form, status=422)


def _stale(request, item: MeetingItem, current: MeetingItem) -> HttpResponse:
    form = stale_form(request, current, lambda data: _form(current, data))
    current.meeting = item.meeting
    return _render(request, item, form=form, current=current, status=409)


@require_POST
def item_share(request: HttpRequest, pk: int) -> HttpResponse:
    """The IB shares a care-team item's advice with the pupil's teacher."""
    item = get_item_or_404(request, pk)
    if not access.can_share_advice(access.actor_for(request), item):
        raise Http404
    try:
        actions.share_advice(item=item, by=request.user)
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
    else:
        messages.success(request, _("The advice has been shared with the teacher."))
    return redirect("meetings:item_detail", pk=item.pk)


@require_POST
def item_addendum_add(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_item_or_404(request, pk)
    meeting = item.meeting
    if meeting.kind == MeetingKind.GROUP or not access.can_add_addendum(
        access.actor_for(request), meeting
    ):
        raise Http404
    form = AddendumForm(request.POST, action=reverse("meetings:item_addendum_add", args=[item.pk]))
    if form.is_valid():
        try:
            actions.add_addendum(
                meeting=meeting, item=item, text=form.cleaned_data["text"], by=request.user
            )
        except ValidationError as problem:
            form.add_error(None, problem)
        else:
            messages.success(request, _("The addendum has been added."))
            return redirect("meetings:item_detail", pk=item.pk)
    return _render(request, item, addendum_form=form, status=422)


@require_POST
def item_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Take a pupil off a group meeting's agenda (before sign-off)."""
    item = get_item_or_404(request, pk)
    if item.meeting.kind != MeetingKind.GROUP or not _can_edit(access.actor_for(request), item):
        raise Http404
    try:
        actions.remove_group_item(item=item, by=request.user)
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
        return redirect("meetings:item_detail", pk=item.pk)
    messages.success(request, _("The pupil has been taken off the agenda."))
    return redirect("meetings:meeting_detail", pk=item.meeting_id)


# A group meeting zooms in on pupils --------------------------------------------------------


def zoom_in_form(actor: access.Actor, meeting: Meeting, data=None) -> ZoomInForm | None:
    """The IB's choice of a pupil of the group to zoom in on, while the minutes are open."""
    if meeting.kind != MeetingKind.GROUP or not access.can_minute_meeting(actor, meeting):
        return None
    on_agenda = meeting.items.values("pupil_id")
    pupils = (
        access.pupils_visible(actor, access.Category.LEARNING)
        .filter(pk__in=actions.group_pupils(meeting).values("pk"))
        .exclude(pk__in=on_agenda)
        .ordered()
    )
    return ZoomInForm(data, pupils=pupils, action=reverse("meetings:zoom_in", args=[meeting.pk]))


@require_POST
def zoom_in(request: HttpRequest, pk: int) -> HttpResponse:
    from meetings.views import _render_detail

    actor = access.actor_for(request)
    meeting = access.get_meeting_or_404(request, pk)
    form = zoom_in_form(actor, meeting, request.POST)
    if form is None or meeting.status == MeetingStatus.SIGNED_OFF:
        raise Http404
    if form.is_valid():
        try:
            item = actions.add_group_item(
                meeting=meeting, pupil=form.cleaned_data["pupil"], by=request.user
            )
        except ValidationError as problem:
            form.add_error(None, problem)
        else:
            return redirect("meetings:item_detail", pk=item.pk)
    return _render_detail(request, meeting, status=422, zoom_in_form=form)
