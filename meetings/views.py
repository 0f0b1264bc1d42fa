"""The year plan: the list and the month of meetings, planning (group meetings of a period,
the care team's meetings of a year, a single meeting), a meeting's page, moving and
cancelling it."""

import calendar
import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from hgw import access
from meetings import actions, registration_views
from meetings.action_point_views import action_points_context
from meetings.attendee_views import attendee_form
from meetings.forms import (
    AddendumForm,
    CareTeamMeetingsForm,
    GroupMeetingsForm,
    MeetingForm,
    MinutesForm,
    PreparationForm,
    RescheduleForm,
    SummaryForm,
    stale_form,
)
from meetings.item_views import zoom_in_form
from meetings.models import AGENDA, CHECKLIST, Meeting, MeetingKind, Minutes, Preparation
from pupils.models import Group
from schools.models import Period, SchoolYear
from schools.numbers import whole_number

PER_PAGE = 25


def _month(value: str | None, today: datetime.date) -> datetime.date:
    """The first day of the month asked for as "2026-11"; this month when absent, wrong or
    more than a century away (the calendar's neighbours of 9999-12 do not exist)."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        if abs(year - today.year) > 100:
            raise ValueError
        return datetime.date(year, month, 1)
    except ValueError:
        return today.replace(day=1)


def _next_month(first: datetime.date) -> datetime.date:
    return (first + datetime.timedelta(days=32)).replace(day=1)


def _previous_month(first: datetime.date) -> datetime.date:
    return (first - datetime.timedelta(days=1)).replace(day=1)


def _year_plan_context(actor: access.Actor) -> dict:
    return {"can_plan": access.can_plan_meetings(actor)}


def meeting_list(request: HttpRequest) -> HttpResponse:
    actor = access.actor_for(request)
    if not access.can_view_meetings(actor):
        raise Http404
    meetings = access.meetings_visible(actor).select_related("group")
    kind = request.GET.get("soort", "")
    if kind not in MeetingKind.values:
        kind = ""
    if kind:
        meetings = meetings.of_kind(kind)
    month = None
    if request.GET.get("maand"):
        month = _month(request.GET["maand"], actor.today)
        meetings = meetings.between(month, _next_month(month) - datetime.timedelta(days=1))
    else:
        year = SchoolYear.current(actor.today)
        if year is not None:
            meetings = meetings.between(year.start_date, year.end_date)
    page = Paginator(meetings.ordered(), PER_PAGE).get_page(request.GET.get("page"))
    query = [f"soort={kind}"] if kind else []
    if month:
        query.append(f"maand={month:%Y-%m}")
    return render(
        request,
        "meetings/meeting_list.html",
        {
            **_year_plan_context(actor),
            "page": page,
            "kind": kind,
            "kinds": MeetingKind.choices,
            "month": month,
            "extra_query": "&".join(query),
            "today": actor.today,
        },
    )


def meeting_calendar(request: HttpRequest) -> HttpResponse:
    actor = access.actor_for(request)
    if not access.can_view_meetings(actor):
        raise Http404
    first = _month(request.GET.get("maand"), actor.today)
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    shown = (
        access.meetings_visible(actor)
        .between(weeks[0][0], weeks[-1][-1])
        .select_related("group")
        .ordered()
    )
    by_day: dict[datetime.date, list[Meeting]] = {}
    for meeting in shown:
        by_day.setdefault(meeting.date, []).append(meeting)
    return render(
        request,
        "meetings/meeting_calendar.html",
        {
            **_year_plan_context(actor),
            "month": first,
            "previous": _previous_month(first),
            "next": _next_month(first),
            "weeks": [
                [
                    {
                        "date": day,
                        "in_month": day.month == first.month,
                        "is_today": day == actor.today,
                        "meetings": by_day.get(day, []),
                    }
                    for day in week
                ]
                for week in weeks
            ],
            "weekdays": [WEEKDAYS_ABBR[day] for day in range(7)],
            "today": actor.today,
        },
    )


# Planning ----------------------------------------------------------------------------------


def _periods(actor: access.Actor):
    return Period.objects.for_school(actor.school).select_related("school_year")


def _plannable_years(actor: access.Actor):
    """This school year and the next (the IB plans ahead in the summer)."""
    current = SchoolYear.current(actor.today)
    if current is None:
        return SchoolYear.objects.none()
    return SchoolYear.objects.filter(start_year__in=[current.start_year, current.start_year + 1])


@require_http_methods(["GET", "POST"])
def group_meetings_plan(request: HttpRequest) -> HttpResponse:
    """A group meeting per group still without one in the period, one date each."""
    actor = access.actor_for(request)
    if not access.can_plan_meetings(actor):
        raise Http404
    periods = _periods(actor)
    period = _chosen_period(request, actor, periods)
    form = None
    planned = []
    if period is not None:
        planned = list(
            access.meetings_visible(actor)
            .of_kind(MeetingKind.GROUP)
            .filter(period=period)
            .select_related("group")
            .ordered()
        )
        taken = {meeting.group_id for meeting in planned}
        groups = [
            g
            for g in Group.objects.for_school(actor.school).in_year(period.school_year).ordered()
            if g.pk not in taken
        ]
        if groups:
            form = GroupMeetingsForm(
                request.POST or None,
                period=period,
                groups=groups,
                defaults=actions.default_group_meeting_dates(period, groups),
                action=reverse("meetings:group_meetings_plan") + f"?periode={period.pk}",
            )
    status = 200
    if request.method == "POST":
        if form is None:
            messages.info(request, _("Every group already has a group meeting in this period."))
            return redirect("meetings:meeting_list")
        if form.is_valid():
            try:
                made = actions.plan_group_meetings(
                    school=actor.school,
                    period=period,  # the one whose groups the form offered
                    date_for=form.dates(),
                    start_time=form.cleaned_data["start_time"],
                    by=request.user,
                )
            except ValidationError as problem:
                form.add_error(None, problem)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)d group meeting has been planned.",
                        "%(count)d group meetings have been planned.",
                        len(made),
                    )
                    % {"count": len(made)},
                )
                first = min((m.date for m in made), default=actor.today)
                return redirect(reverse("meetings:meeting_calendar") + f"?maand={first:%Y-%m}")
        status = 422
    return render(
        request,
        "meetings/group_meetings_plan.html",
        {"form": form, "period": period, "periods": periods, "planned": planned},
        status=status,
    )


def _chosen_period(request, actor, periods) -> Period | None:
    value = request.GET.get("periode")
    if value:
        wanted = whole_number(value)
        return periods.filter(pk=wanted).first() if wanted is not None else None
    # The current period, or else the next one to come.
    return periods.on(actor.today).first() or (
        periods.filter(start_date__gt=actor.today).order_by("start_date").first()
    )


@require_http_methods(["GET", "POST"])
def care_team_plan(request: HttpRequest) -> HttpResponse:
    actor = access.actor_for(request)
    if not access.can_plan_meetings(actor):
        raise Http404
    years = _plannable_years(actor)
    form = CareTeamMeetingsForm(
        request.POST or None,
        years=years,
        action=reverse("meetings:care_team_plan"),
        initial={"school_year": SchoolYear.current(actor.today)},
    )
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                made = actions.plan_care_team_meetings(
                    school=actor.school,
                    school_year=data["school_year"],
                    count=data["count"],
                    weekday=data["weekday"],
                    start_time=data["start_time"],
                    location=data["location"],
                    by=request.user,
                )
            except ValidationError as problem:
                form.add_error(None, problem)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)d care-team meeting has been planned.",
                        "%(count)d care-team meetings have been planned.",
                        len(made),
                    )
                    % {"count": len(made)},
                )
                return redirect(reverse("meetings:meeting_list") + "?soort=care_team")
        return render(request, "meetings/care_team_plan.html", {"form": form}, status=422)
    return render(request, "meetings/care_team_plan.html", {"form": form})


@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest) -> HttpResponse:
    actor = access.actor_for(request)
    if not access.can_plan_meetings(actor):
        raise Http404
    year = SchoolYear.current(actor.today)
    form = MeetingForm(
        request.POST or None,
        groups=Group.objects.for_school(actor.school).in_year(year).ordered(),
        periods=_periods(actor).filter(school_year=year),
        action=reverse("meetings:meeting_create"),
        initial={"kind": MeetingKind.PUPIL, "date": actor.today},
    )
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                meeting = actions.plan_meeting(
                    school=actor.school,
                    kind=data["kind"],
                    date=data["date"],
                    start_time=data["start_time"],
                    location=data["location"],
                    group=data["group"],
                    period=data["period"],
                    by=request.user,
                )
            except ValidationError as problem:
                form.add_error(None, problem)
            else:
                messages.success(request, _("The meeting has been planned."))
                return redirect("meetings:meeting_detail", pk=meeting.pk)
        return render(request, "meetings/meeting_create.html", {"form": form}, status=422)
    return render(request, "meetings/meeting_create.html", {"form": form})


# One meeting -------------------------------------------------------------------------------


def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_or_404(request, pk)
    return _render_detail(request, meeting)


def _minutes(meeting: Meeting) -> Minutes:
    """The meeting's minutes, or empty ones at version 1 when none were written yet."""
    return Minutes.objects.filter(meeting=meeting).first() or Minutes(meeting=meeting)


def _preparation(meeting: Meeting) -> Preparation:
    return Preparation.objects.filter(meeting=meeting).first() or Preparation(meeting=meeting)


def _render_detail(
    request: HttpRequest, meeting: Meeting, *, status: int = 200, **forms
) -> HttpResponse:
    """The meeting's page; `forms` holds a bound form sent back (422 or 409) and, after a
    stale save, the version saved meanwhile (`current`)."""
    actor = access.actor_for(request)
    attendees = list(meeting.attendees.select_related("user").order_by("pk"))
    items = list(meeting.items.select_related("pupil").order_by("position", "pk"))
    visible = access.item_pupils_visible(actor, items)
    access.note_pupils(request, sorted(visible))
    context = {
        "meeting": meeting,
        "attendees": attendees,
        "items": [(item, item.pupil_id in visible) for item in items],
        "overview": None,
        "plan": None,
        "can_reschedule": access.can_reschedule_meeting(actor, meeting),
        "can_mark_held": access.can_mark_meeting_held(actor, meeting),
        "can_sign_off": access.can_sign_off_meeting(actor, meeting),
    }
    if meeting.kind == MeetingKind.GROUP:
        context.update(_group_meeting_context(actor, meeting, forms))
        context["zoom_in_form"] = forms.get("zoom_in_form") or zoom_in_form(actor, meeting)
    context["can_download_report"] = access.can_download_meeting_report(actor, meeting)
    context["attendee_form"] = forms.get("attendee_form") or attendee_form(actor, meeting)
    context.update(action_points_context(actor, request, meeting, forms.get("action_point_form")))
    context.update(registration_views.meeting_context(request, actor, meeting, visible))
    current = context["current"] = forms.get("current")
    if current:
        record = current["record"]
        if isinstance(record, Minutes):
            context["current_agenda"] = [
                *((label, getattr(record, name)) for name, label in AGENDA),
                (_("Report"), record.report),
            ]
            context["current_summary"] = record.teacher_summary
        else:
            context["current_checklist"] = [
                (label, getattr(record, name)) for name, label in CHECKLIST
            ]
    return render(request, "meetings/meeting_detail.html", context, status=status)


def _group_meeting_context(actor: access.Actor, meeting: Meeting, forms: dict) -> dict:
    overview = (
        access.overviews_visible(actor)
        .filter(group=meeting.group_id, period=meeting.period_id)
        .select_related("plan", "group")
        .first()
    )
    plan = getattr(overview, "plan", None) if overview else None
    minutes = _minutes(meeting)
    preparation = _preparation(meeting)
    can_minute = access.can_minute_meeting(actor, meeting)
    can_prepare = access.can_prepare_meeting(actor, meeting)
    can_add_addendum = access.can_add_addendum(actor, meeting)
    url = lambda name: reverse(f"meetings:{name}", args=[meeting.pk])  # noqa: E731
    return {
        "overview": overview,
        "plan": plan,
        "can_send_overview": overview is not None and access.can_send_overview(actor, overview),
        "minutes": minutes,
        "agenda": [(label, getattr(minutes, name)) for name, label in AGENDA],
        "preparation": preparation,
        "checklist": [(label, getattr(preparation, name)) for name, label in CHECKLIST],
        "addenda": list(meeting.addenda.select_related("author").order_by("created_at", "pk")),
        "can_minute": can_minute,
        "can_prepare": can_prepare,
        "can_add_addendum": can_add_addendum,
        "minutes_form": forms.get("minutes_form")
        or (MinutesForm(minutes=minutes, action=url("minutes_save")) if can_minute else None),
        "summary_form": forms.get("summary_form")
        or (SummaryForm(minutes=minutes, action=url("summary_save")) if can_prepare else None),
        "preparation_form": forms.get("preparation_form")
        or (
            PreparationForm(preparation=preparation, action=url("preparation_save"))
            if can_prepare
            else None
        ),
        "addendum_form": forms.get("addendum_form")
        or (AddendumForm(action=url("addendum_add")) if can_add_addendum else None),
    }


def _save_versioned(request, pk, *, allowed, form_class, record_for, save, name, done):
    """Save one of the group meeting's versioned forms: 422 with the input kept when it does
    not validate, 409 with both versions when someone else saved meanwhile."""
    actor = access.actor_for(request)
    meeting = access.get_meeting_or_404(request, pk)
    if not allowed(actor, meeting):
        raise Http404
    record = record_for(meeting)
    key = "preparation" if form_class is PreparationForm else "minutes"
    action = reverse(f"meetings:{name}", args=[meeting.pk])
    form = form_class(request.POST, action=action, **{key: record})
    if form.is_valid():
        try:
            save(
                meeting=meeting,
                values=form.values(),
                seen_version=form.cleaned_data["version"],
                by=request.user,
            )
        except actions.StaleMinutes as stale:
            return _stale(request, meeting, form_class, stale.current, key, action)
        except ValidationError as problem:
            form.add_error(None, problem)
        else:
            messages.success(request, done)
            return redirect("meetings:meeting_detail", pk=meeting.pk)
    elif "version" in form.errors:
        return _stale(request, meeting, form_class, record_for(meeting), key, action)
    return _render_detail(request, meeting, status=422, **{f"{_form_key(form_class)}": form})


def _form_key(form_class) -> str:
    return {
        MinutesForm: "minutes_form",
        SummaryForm: "summary_form",
        PreparationForm: "preparation_form",
    }[form_class]


def _stale(request, meeting, form_class, current, key, action) -> HttpResponse:
    """The form again with what the person typed, now over the current version, beside the
    version saved meanwhile."""
    form = stale_form(
        request, current, lambda data: form_class(data, action=action, **{key: current})
    )
    return _render_detail(
        request,
        meeting,
        status=409,
        current={"form": _form_key(form_class), "record": current},
        **{_form_key(form_class): form},
    )


@require_POST
def minutes_save(request: HttpRequest, pk: int) -> HttpResponse:
    return _save_versioned(
        request,
        pk,
        allowed=access.can_minute_meeting,
        form_class=MinutesForm,
        record_for=_minutes,
        save=actions.save_minutes,
        name="minutes_save",
        done=_("The minutes have been saved."),
    )


@require_POST
def summary_save(request: HttpRequest, pk: int) -> HttpResponse:
    return _save_versioned(
        request,
        pk,
        allowed=access.can_prepare_meeting,
        form_class=SummaryForm,
        record_for=_minutes,
        save=actions.save_minutes,
        name="summary_save",
        done=_("Your summary has been saved."),
    )


@require_POST
def preparation_save(request: HttpRequest, pk: int) -> HttpResponse:
    return _save_versioned(
        request,
        pk,
        allowed=access.can_prepare_meeting,
        form_class=PreparationForm,
        record_for=_preparation,
        save=actions.save_preparation,
        name="preparation_save",
        done=_("The preparation has been saved."),
    )


@require_POST
def meeting_held(request: HttpRequest, pk: int) -> HttpResponse:
    actor = access.actor_for(request)
    meeting = access.get_meeting_or_404(request, pk)
    if not access.can_minute_meeting(actor, meeting):
        raise Http404
    try:
        actions.mark_held(meeting=meeting, by=request.user, today=actor.today)
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
    else:
        messages.success(request, _("The meeting has been marked as held."))
    return redirect("meetings:meeting_detail", pk=meeting.pk)


@require_POST
def meeting_sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    actor = access.actor_for(request)
    meeting = access.get_meeting_or_404(request, pk)
    if not access.can_minute_meeting(actor, meeting):
        raise Http404
    try:
        actions.sign_off(meeting=meeting, by=request.user)
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
    else:
        messages.success(request, _("The minutes have been signed off."))
    return redirect("meetings:meeting_detail", pk=meeting.pk)


@require_POST
def addendum_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = access.actor_for(request)
    meeting = access.get_meeting_or_404(request, pk)
    if not access.can_add_addendum(actor, meeting):
        raise Http404
    form = AddendumForm(request.POST, action=reverse("meetings:addendum_add", args=[meeting.pk]))
    if form.is_valid():
        try:
            actions.add_addendum(meeting=meeting, text=form.cleaned_data["text"], by=request.user)
        except ValidationError as problem:
            form.add_error(None, problem)
        else:
            messages.success(request, _("The addendum has been added."))
            return redirect("meetings:meeting_detail", pk=meeting.pk)
    return _render_detail(request, meeting, status=422, addendum_form=form)


@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a planned meeting. A save over a version the person never saw is refused, with
    the version saved meanwhile beside what they typed."""
    actor = access.actor_for(request)
    meeting = access.get_meeting_or_404(request, pk)
    if not access.can_reschedule_meeting(actor, meeting):
        raise Http404
    url = reverse("meetings:meeting_edit", args=[meeting.pk])
    form = RescheduleForm(request.POST or None, meeting=meeting, action=url)
    if request.method == "GET":
        return render(request, "meetings/meeting_edit.html", {"meeting": meeting, "form": form})
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.reschedule(
                meeting=meeting,
                date=data["date"],
                start_time=data["start_time"],
                location=data["location"],
                seen_version=data["version"],
                by=request.user,
            )
        except actions.StaleMeeting as stale:
            return _conflict(request, stale.current, url)
        except ValidationError as problem:
            form.add_error(None, problem)
        else:
            messages.success(request, _("The meeting has been moved."))
            return redirect("meetings:meeting_detail", pk=meeting.pk)
    elif "version" in form.errors:
        # Posted without what its user saw (an old tab, a script): show what stands now.
        return _conflict(request, Meeting.objects.get(pk=meeting.pk), url)
    return render(
        request, "meetings/meeting_edit.html", {"meeting": meeting, "form": form}, status=422
    )


def _conflict(request, current: Meeting, url: str) -> HttpResponse:
    """The form again with what the person typed, now over the current version."""
    data = request.POST.copy()
    data["version"] = str(current.version)
    form = RescheduleForm(data, meeting=current, action=url)
    form.is_valid()
    messages.warning(
        request,
        _("Someone else changed this meeting while you were editing it. Check both versions."),
    )
    return render(
        request,
        "meetings/meeting_edit.html",
        {"meeting": current, "form": form, "current": current},
    )


@require_http_methods(["GET", "POST"])
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    actor = access.actor_for(request)
    meeting = access.get_meeting_or_404(request, pk)
    if not access.can_reschedule_meeting(actor, meeting):
        raise Http404
    if request.method == "GET":
        return render(request, "meetings/meeting_cancel.html", {"meeting": meeting})
    try:
        actions.cancel(meeting=meeting, by=request.user)
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
        return redirect("meetings:meeting_detail", pk=meeting.pk)
    messages.success(request, _("The meeting has been cancelled."))
    return redirect(reverse("meetings:meeting_calendar") + f"?maand={meeting.date:%Y-%m}")
