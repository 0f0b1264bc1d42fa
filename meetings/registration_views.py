"""Pages of the pupil meeting: registering a pupil (aanmelden), the list of registrations,
putting them on a pupil meeting's agenda, and the growth document of each pupil on it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from hgw import access
from meetings import actions, registrations
from meetings.forms import stale_form
from meetings.models import Meeting, MeetingItem, MeetingKind, Registration
from meetings.registration_forms import GROWTH_STEPS, GrowthDocumentForm, RegistrationForm
from pupils.models import Group, Pupil
from schools.numbers import whole_number

PER_PAGE = 25

# The list's filters: (value in the URL, label, what it shows).
FILTERS = {
    "wachtend": gettext_lazy("Waiting"),
    "gepland": gettext_lazy("On an agenda"),
    "concept": gettext_lazy("Drafts"),
}


def _filtered(registrations_qs, shown: str):
    if shown == "wachtend":
        return registrations_qs.waiting()
    if shown == "gepland":
        return registrations_qs.planned()
    if shown == "concept":
        return registrations_qs.drafts()
    return registrations_qs


def registration_list(request: HttpRequest) -> HttpResponse:
    """The teacher: their pupils' registrations; the IB: the school's, by state."""
    actor = access.actor_for(request)
    if not access.can_view_registrations(actor):
        raise Http404
    shown = request.GET.get("toon", "")
    if shown not in FILTERS:
        shown = ""
    found = _filtered(access.registrations_visible(actor), shown)
    page = Paginator(
        found.select_related("pupil", "created_by", "item__meeting").order_by("-created_at", "-pk"),
        PER_PAGE,
    ).get_page(request.GET.get("page"))
    access.note_pupils(request, [r.pupil_id for r in page])
    return render(
        request,
        "meetings/registration_list.html",
        {
            "page": page,
            "shown": shown,
            "filters": list(FILTERS.items()),
            "extra_query": f"toon={shown}" if shown else "",
        },
    )


def _form_page(request, *, pupil, form, registration=None, current=None, status=200):
    return render(
        request,
        "meetings/registration_form.html",
        {
            "pupil": pupil,
            "form": form,
            "registration": registration,
            "current": current,
            "can_withdraw": registration is not None
            and access.can_edit_registration(access.actor_for(request), registration),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def registration_create(request: HttpRequest, pupil_pk: int) -> HttpResponse:
    """Register a pupil for a pupil meeting: save as a draft, or submit at once."""
    actor = access.actor_for(request)
    pupil = access.get_pupil_or_404(request, pupil_pk, access.Category.LEARNING)
    if not access.can_register(actor, pupil):
        raise Http404
    url = reverse("meetings:registration_create", args=[pupil.pk])
    form = RegistrationForm(request.POST or None, registration=None, action=url)
    if request.method == "GET":
        return _form_page(request, pupil=pupil, form=form)
    if form.is_valid():
        note = ""
        try:
            with transaction.atomic():
                registration = registrations.start_registration(
                    pupil=pupil, by=request.user, **form.values()
                )
                if form.wants_submit():
                    registration, note = registrations.submit(
                        registration=registration, by=request.user, today=actor.today
                    )
        except ValidationError as problem:
            form.add_error(None, problem)
        else:
            return _saved(request, registration, submitted=form.wants_submit(), note=note)
    return _form_page(request, pupil=pupil, form=form, status=422)


def _saved(request, registration: Registration, *, submitted: bool, note: str = "") -> HttpResponse:
    if submitted:
        messages.success(
            request, _("The registration has been submitted; the IB will put it on an agenda.")
        )
        if note:
            messages.success(request, note)
    else:
        messages.success(request, _("The registration has been saved as a draft."))
    return redirect("meetings:registration_detail", pk=registration.pk)


@require_http_methods(["GET", "POST"])
def registration_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A draft as a form for whoever may edit it; otherwise (and once submitted) read-only.
    A save over a version the person never saw answers 409 with both versions."""
    actor = access.actor_for(request)
    registration = access.get_registration_or_404(request, pk)
    pupil = registration.pupil
    can_edit = access.can_edit_registration(actor, registration)
    if request.method == "POST" and not can_edit:
        raise Http404
    url = reverse("meetings:registration_detail", args=[registration.pk])
    if not can_edit:
        item = (
            MeetingItem.objects.filter(registration=registration).select_related("meeting").first()
        )
        return render(
            request,
            "meetings/registration_detail.html",
            {"registration": registration, "pupil": pupil, "item": item},
        )
    form = RegistrationForm(request.POST or None, registration=registration, action=url)
    if request.method == "GET":
        return _form_page(request, pupil=pupil, form=form, registration=registration)
    if form.is_valid():
        note = ""
        try:
            with transaction.atomic():
                saved = registrations.save_registration(
                    registration=registration,
                    values=form.values(),
                    seen_version=form.cleaned_data["version"],
                    by=request.user,
                )
                if form.wants_submit():
                    saved, note = registrations.submit(
                        registration=saved, by=request.user, today=actor.today
                    )
        except registrations.StaleRegistration as stale:
            return _stale_registration(request, pupil, stale.current, url)
        except ValidationError as problem:
            form.add_error(None, problem)
        else:
            return _saved(request, registration, submitted=form.wants_submit(), note=note)
    elif "version" in form.errors:
        return _stale_registration(request, pupil, Registration.objects.get(pk=pk), url)
    return _form_page(request, pupil=pupil, form=form, registration=registration, status=422)


def _stale_registration(request, pupil, current: Registration, url: str) -> HttpResponse:
    if current.is_submitted:
        messages.warning(request, _("Someone else submitted this registration meanwhile."))
        return redirect("meetings:registration_detail", pk=current.pk)
    form = stale_form(
        request, current, lambda data: RegistrationForm(data, registration=current, action=url)
    )
    return _form_page(
        request, pupil=pupil, form=form, registration=current, current=current, status=409
    )


@require_http_methods(["GET", "POST"])
def registration_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw (delete) a draft, after a confirmation page."""
    actor = access.actor_for(request)
    registration = access.get_registration_or_404(request, pk)
    if not access.can_edit_registration(actor, registration):
        raise Http404
    if request.method == "GET":
        return render(
            request, "meetings/registration_withdraw.html", {"registration": registration}
        )
    try:
        registrations.withdraw_registration(registration=registration, by=request.user)
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
        return redirect("meetings:registration_detail", pk=registration.pk)
    messages.success(request, _("The draft registration has been withdrawn."))
    return redirect("meetings:registration_list")


# The pupil meeting's agenda ----------------------------------------------------------------


@require_POST
def registration_attach(request: HttpRequest, pk: int) -> HttpResponse:
    """The IB puts the chosen waiting registrations on the pupil meeting's agenda."""
    actor = access.actor_for(request)
    meeting = access.get_meeting_or_404(request, pk)
    if not access.can_attach_registrations(actor, meeting):
        raise Http404
    chosen = [
        number
        for number in map(whole_number, request.POST.getlist("registration"))
        if number is not None
    ]
    found = list(
        access.registrations_visible(actor)
        .waiting()
        .filter(pk__in=chosen)
        .select_related("pupil")
        .order_by("submitted_at", "pk")
    )
    if not found:
        messages.error(request, _("Choose the registrations to put on the agenda."))
        return redirect("meetings:meeting_detail", pk=meeting.pk)
    access.note_pupils(request, [r.pupil_id for r in found])
    added = 0
    for registration in found:
        try:
            registrations.attach_registration(
                meeting=meeting, registration=registration, by=request.user
            )
        except ValidationError as problem:
            messages.error(request, f"{registration.pupil.full_name}: {' '.join(problem.messages)}")
        else:
            added += 1
    if added:
        messages.success(request, _("The pupils have been put on the agenda."))
    return redirect("meetings:meeting_detail", pk=meeting.pk)


def _get_item_or_404(request, meeting: Meeting, item_pk: int) -> MeetingItem:
    """A pupil's item of a pupil meeting, if the actor may see the pupil (otherwise 404)."""
    if meeting.kind != MeetingKind.PUPIL:
        raise Http404
    try:
        item = meeting.items.select_related("pupil", "registration").get(pk=item_pk)
    except MeetingItem.DoesNotExist:
        raise Http404 from None
    item.meeting = meeting
    if not access.can_view_item(access.actor_for(request), item):
        raise Http404
    access.note_pupils(request, [item.pupil_id])
    return item


def _item_page(request, meeting, item, *, form=None, current=None, status=200) -> HttpResponse:
    actor = access.actor_for(request)
    can_minute = access.can_minute_items(actor, meeting)
    url = reverse("meetings:growth_document", args=[meeting.pk, item.pk])
    if form is None and can_minute:
        form = GrowthDocumentForm(item=item, action=url)
    return render(
        request,
        "meetings/growth_document.html",
        {
            "meeting": meeting,
            "entry": _entry(item, True, form, can_minute),
            "form": form,
            "current": current,
            "current_steps": _steps(current) if current else None,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def growth_document(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """One pupil of a pupil meeting: the registration and the growth document (a form for the
    IB until the meeting is signed off; read-only for the others who may see the pupil)."""
    actor = access.actor_for(request)
    meeting = access.get_meeting_or_404(request, pk)
    item = _get_item_or_404(request, meeting, item_pk)
    if request.method == "GET":
        return _item_page(request, meeting, item)
    if not access.can_minute_items(actor, meeting):
        raise Http404
    url = reverse("meetings:growth_document", args=[meeting.pk, item.pk])
    form = GrowthDocumentForm(request.POST, item=item, action=url)
    if form.is_valid():
        try:
            actions.save_item(
                item=item,
                values=form.values(),
                seen_version=form.cleaned_data["version"],
                by=request.user,
            )
        except actions.StaleMinutes as stale:
            return _stale_item(request, meeting, stale.current, url)
        except ValidationError as problem:
            form.add_error(None, problem)
        else:
            messages.success(
                request,
                _("The growth document of %(pupil)s has been saved.")
                % {"pupil": item.pupil.full_name},
            )
            return redirect(
                reverse("meetings:meeting_detail", args=[meeting.pk]) + f"#item-{item.pk}"
            )
    elif "version" in form.errors:
        return _stale_item(request, meeting, MeetingItem.objects.get(pk=item.pk), url)
    return _item_page(request, meeting, item, form=form, status=422)


def _stale_item(request, meeting, current: MeetingItem, url: str) -> HttpResponse:
    current.meeting = meeting
    form = stale_form(
        request, current, lambda data: GrowthDocumentForm(data, item=current, action=url)
    )
    current = MeetingItem.objects.select_related("pupil", "registration").get(pk=current.pk)
    return _item_page(request, meeting, current, form=form, current=current, status=409)


@require_POST
def item_detach(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """Take a pupil off the agenda while the growth document is still the pre-fill; the
    registration waits again."""
    actor = access.actor_for(request)
    meeting = access.get_meeting_or_404(request, pk)
    item = _get_item_or_404(request, meeting, item_pk)
    if not access.can_attach_registrations(actor, meeting):
        raise Http404
    try:
        registrations.detach_item(item=item, by=request.user)
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
    else:
        messages.success(
            request,
            _("%(pupil)s has been taken off the agenda; the registration waits again.")
            % {"pupil": item.pupil.full_name},
        )
    return redirect("meetings:meeting_detail", pk=meeting.pk)


# The meeting page's part -------------------------------------------------------------------


def _steps(item: MeetingItem) -> list[tuple[str, str]]:
    return [(label, getattr(item, name)) for name, label in GROWTH_STEPS]


def _entry(item: MeetingItem, visible: bool, form, can_minute: bool) -> dict:
    """What the page shows of one item: nothing of a pupil the viewer may not see."""
    if not visible:
        return {"item": item, "visible": False}
    return {
        "item": item,
        "visible": True,
        "registration": item.registration,
        "steps": _steps(item),
        "form": form,
        "can_detach": can_minute and registrations.is_untouched(item),
        "url": reverse("meetings:growth_document", args=[item.meeting_id, item.pk]),
    }


def meeting_context(request: HttpRequest, actor: access.Actor, meeting: Meeting, visible: set):
    """The part of the meeting page this module adds: for a pupil meeting the agenda with
    each pupil's growth document and the waiting registrations; for a group meeting the
    pupils of the group one may register (the agenda point "registering")."""
    if meeting.kind == MeetingKind.GROUP:
        return _group_registering(request, actor, meeting)
    if meeting.kind != MeetingKind.PUPIL:
        return {}
    can_minute = access.can_minute_items(actor, meeting)
    items = meeting.items.select_related("pupil", "registration").order_by("position", "pk")
    entries = []
    for item in items:
        shown = item.pupil_id in visible
        form = None
        if shown and can_minute:
            url = reverse("meetings:growth_document", args=[meeting.pk, item.pk])
            form = GrowthDocumentForm(item=item, action=url)
        entries.append(_entry(item, shown, form, can_minute))
    waiting = []
    can_attach = access.can_attach_registrations(actor, meeting)
    if can_attach:
        waiting = list(
            access.registrations_visible(actor)
            .waiting()
            .select_related("pupil", "created_by")
            .order_by("submitted_at", "pk")
        )
        access.note_pupils(request, [r.pupil_id for r in waiting])
    return {
        "pupil_items": entries,
        "waiting_registrations": waiting,
        "can_attach_registrations": can_attach,
    }


def _group_registering(request, actor, meeting) -> dict:
    if meeting.status == "signed_off" or not meeting.group_id:
        return {}
    group = Group.objects.filter(pk=meeting.group_id)
    pupils = list(Pupil.objects.in_groups(group, on=actor.today).order_by("family_name", "pk"))
    if not pupils or not access.can_register(actor, pupils[0]):
        return {}
    access.note_pupils(request, pupils)
    return {"registrable_pupils": pupils}
