"""The care-team registration (question formulated with the parents, the documents for the
external members) and the case (on an agenda, monitoring, closed with its outcome): the IB's.

Every change answers with the dossier tab "documenten"; an error shows the form again (422,
with what was typed), a save over a registration someone else changed answers 409 with both.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from careroute import cases
from careroute.consent_forms import (
    AgendaForm,
    CareTeamRegistrationForm,
    CloseCaseForm,
    MonitoringForm,
)
from careroute.consent_views import dossier_tab_url, tab_context
from careroute.models import CareTeamCase, CareTeamRegistration
from hgw import access
from meetings.models import MeetingItem


def _registration_or_404(request, pk: int) -> CareTeamRegistration:
    actor = access.actor_for(request)
    try:
        registration = CareTeamRegistration.objects.select_related("pupil").get(
            pk=pk, pupil__school=getattr(actor.school, "pk", None)
        )
    except CareTeamRegistration.DoesNotExist:
        raise Http404 from None
    if not access.can_manage_care_team(actor, registration.pupil):
        raise Http404
    access.note_pupils(request, [registration.pupil_id])
    return registration


def _case_or_404(request, pk: int) -> CareTeamCase:
    actor = access.actor_for(request)
    try:
        case = CareTeamCase.objects.select_related("pupil", "registration").get(
            pk=pk, pupil__school=getattr(actor.school, "pk", None)
        )
    except CareTeamCase.DoesNotExist:
        raise Http404 from None
    if not access.can_manage_care_team(actor, case.pupil):
        raise Http404
    access.note_pupils(request, [case.pupil_id])
    return case


@require_http_methods(["GET", "POST"])
def registration_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The pupil's current care-team registration (a new one when there is none)."""
    actor = access.actor_for(request)
    pupil = access.get_pupil_or_404(request, pk, access.Category.SENSITIVE)
    if not access.can_manage_care_team(actor, pupil):
        raise Http404
    registration = cases.current_registration(pupil)
    url = reverse("careroute:registration_edit", args=[pupil.pk])
    form = CareTeamRegistrationForm(request.POST or None, registration=registration, action=url)
    if request.method == "GET":
        return _registration_page(request, pupil, form, registration)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if registration is None:
                cases.start_care_team_registration(
                    pupil=pupil,
                    question=data["question"],
                    parents_involved=data["parents_involved"],
                    by=request.user,
                )
            else:
                cases.save_registration(
                    registration=registration,
                    question=data["question"],
                    parents_involved=data["parents_involved"],
                    seen_version=data["version"],
                    by=request.user,
                )
        except cases.StaleRegistration as stale:
            return _stale(request, pupil, stale.current, url)
        except ValidationError as problem:
            form.add_error(None, problem)
        else:
            messages.success(request, _("The care-team registration has been saved."))
            return redirect(dossier_tab_url(pupil.pk))
    elif registration is not None and "version" in form.errors:
        return _stale(request, pupil, registration, url)
    return _registration_page(request, pupil, form, registration, status=422)


def _stale(request, pupil, current: CareTeamRegistration, url: str) -> HttpResponse:
    data = request.POST.copy()
    data["version"] = str(current.version)
    form = CareTeamRegistrationForm(data, registration=current, action=url)
    form.is_valid()
    messages.warning(
        request, _("Someone else saved this while you were editing it. Check both versions.")
    )
    return _registration_page(request, pupil, form, current, current=current, status=409)


def _registration_page(request, pupil, form, registration, current=None, status=200):
    return render(
        request,
        "careroute/registration_form.html",
        {"pupil": pupil, "form": form, "registration": registration, "current": current},
        status=status,
    )


@require_POST
def documents_select(request: HttpRequest, pk: int) -> HttpResponse:
    """The documents selected for the external members: exactly the boxes ticked."""
    registration = _registration_or_404(request, pk)
    try:
        cases.set_selection(
            registration=registration, keys=request.POST.getlist("document"), by=request.user
        )
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
    else:
        messages.success(request, _("The selection of documents has been saved."))
    return redirect(dossier_tab_url(registration.pupil_id))


def _tab_page(request, case, status: int, **forms) -> HttpResponse:
    """The tab on a page of its own, with the form that went wrong (422)."""
    actor = access.actor_for(request)
    context = tab_context(request, actor, case.pupil, **forms)
    return render(request, "careroute/documents_page.html", context, status=status)


@require_POST
def case_agenda(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    # Any planned care-team meeting of the school is looked up, so that the action answers
    # one the case cannot go on (e.g. before it was opened) with its own message.
    form = AgendaForm(
        request.POST, meetings=cases.upcoming_care_team_meetings(case.pupil.school_id)
    )
    if form.is_valid():
        try:
            cases.put_on_agenda(
                case=case, meeting=form.meetings[form.cleaned_data["meeting"]], by=request.user
            )
        except ValidationError as problem:
            form.add_error(None, problem)
        else:
            messages.success(request, _("The pupil has been put on the agenda."))
            return redirect(dossier_tab_url(case.pupil_id))
    form.offer(cases.agenda_meetings(case).exclude(items__pupil=case.pupil))
    return _tab_page(request, case, 422, agenda_form=form)


@require_POST
def case_agenda_remove(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    try:
        item = MeetingItem.objects.get(pk=item_pk, pupil=case.pupil)
    except MeetingItem.DoesNotExist:
        raise Http404 from None
    try:
        cases.take_off_agenda(case=case, item=item, by=request.user)
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
    else:
        messages.success(request, _("The pupil has been taken off the agenda."))
    return redirect(dossier_tab_url(case.pupil_id))


@require_POST
def case_monitoring(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    form = MonitoringForm(request.POST)
    if form.is_valid():
        try:
            cases.set_monitoring(case=case, since=form.cleaned_data["since"], by=request.user)
        except ValidationError as problem:
            form.add_error(None, problem)
        else:
            messages.success(request, _("The case is being monitored."))
            return redirect(dossier_tab_url(case.pupil_id))
    return _tab_page(request, case, 422, monitoring_form=form)


@require_http_methods(["GET", "POST"])
def case_close(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    url = reverse("careroute:case_close", args=[case.pk])
    form = CloseCaseForm(request.POST or None, action=url)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                cases.close_case(case=case, outcome=form.cleaned_data["outcome"], by=request.user)
            except ValidationError as problem:
                form.add_error(None, problem)
            else:
                messages.success(request, _("The case has been closed."))
                return redirect(dossier_tab_url(case.pupil_id))
        status = 422
    return render(
        request,
        "careroute/case_close.html",
        {"pupil": case.pupil, "case": case, "form": form},
        status=status,
    )
