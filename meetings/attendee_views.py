"""Who is at a meeting: the IB adds a colleague (e.g. a care-team member with an account) or
a guest by name, each with their discipline, and takes one off again, until sign-off."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Membership
from hgw import access
from meetings import actions
from meetings.action_points import OWNER_ROLES
from meetings.forms import AttendeeForm
from meetings.models import Attendee, Meeting


def attendee_form(actor: access.Actor, meeting: Meeting, data=None) -> AttendeeForm | None:
    if not access.can_manage_attendees(actor, meeting):
        return None
    # Who may be asked to a meeting: the same staff who may own its action points.
    members = Membership.objects.active(actor.today).filter(
        school_id=meeting.school_id, role__in=OWNER_ROLES
    )
    users = (
        get_user_model()
        .objects.filter(pk__in=members.values("user_id"), is_active=True)
        .exclude(pk__in=meeting.attendees.filter(user__isnull=False).values("user_id"))
        .order_by("full_name", "pk")
    )
    return AttendeeForm(
        data, users=users, action=reverse("meetings:attendee_add", args=[meeting.pk])
    )


@require_POST
def attendee_add(request: HttpRequest, pk: int) -> HttpResponse:
    from meetings.views import _render_detail

    actor = access.actor_for(request)
    meeting = access.get_meeting_or_404(request, pk)
    form = attendee_form(actor, meeting, request.POST)
    if form is None:
        raise Http404
    if form.is_valid():
        try:
            actions.add_attendee(
                meeting=meeting,
                user=form.cleaned_data["user"],
                name=form.cleaned_data["name"],
                discipline=form.cleaned_data["discipline"],
                by=request.user,
            )
        except ValidationError as problem:
            form.add_error(None, problem)
        else:
            messages.success(request, _("The attendee has been added."))
            return redirect("meetings:meeting_detail", pk=meeting.pk)
    return _render_detail(request, meeting, status=422, attendee_form=form)


@require_POST
def attendee_remove(request: HttpRequest, pk: int, attendee_pk: int) -> HttpResponse:
    actor = access.actor_for(request)
    meeting = access.get_meeting_or_404(request, pk)
    if not access.can_manage_attendees(actor, meeting):
        raise Http404
    attendee = get_object_or_404(Attendee, pk=attendee_pk, meeting=meeting)
    try:
        actions.remove_attendee(attendee=attendee, by=request.user)
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
    else:
        messages.success(request, _("The attendee has been taken off the list."))
    return redirect("meetings:meeting_detail", pk=meeting.pk)
