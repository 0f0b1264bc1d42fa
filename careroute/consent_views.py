"""The dossier tab "documenten": consent per purpose, the care-team registration with the
documents selected for the external members, and the case; recording a decision; the signed
form (the IB only, as a download).

The IB sees and does everything here. A care-team member sees only the documents selected for
a consented, not-closed case (a page of its own: the dossier is not theirs to see).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from careroute import cases, consents
from careroute.consent import consent_state
from careroute.consent_forms import AgendaForm, ConsentForm, MonitoringForm
from careroute.models import CaseDocument, CaseStatus, Consent, ConsentHow, ConsentPurpose
from hgw import access
from hgw.downloads import attachment
from meetings.models import MeetingItem, MeetingKind

HISTORY_PER_PAGE = 20


def dossier_tab_url(pupil_pk: int) -> str:
    return reverse("pupil_dossier_tab", kwargs={"pk": pupil_pk, "tab": "documenten"})


def _document_links(actor, documents: list[CaseDocument]) -> list[dict]:
    """Each selected document with the link to open it: a meeting item's report, the IHP's or
    OPP's PDF, the diagnostics report (the documents the access policy lets the care-team
    member open because they are selected; the IB opens them anyway)."""
    items = [d.meeting_item for d in documents if d.meeting_item_id]
    visible = access.item_pupils_visible(actor, items) if items else set()
    rows = []
    for document in documents:
        url = None
        if document.meeting_item_id and access.can_download_item_report(
            actor, document.meeting_item, visible
        ):
            url = reverse("meetings:item_report", args=[document.meeting_item_id])
        elif document.ihp_id:
            url = reverse("careroute:ihp_pdf", args=[document.ihp_id])
        elif document.opp_id:
            url = reverse("careroute:opp_pdf", args=[document.opp_id])
        elif document.hgd_request_id and document.hgd_request.report:
            url = reverse("careroute:hgd_report", args=[document.hgd_request_id])
        rows.append({"document": document, "url": url})
    return rows


def pupil_documents(request: HttpRequest, pk: int) -> HttpResponse:
    actor = access.actor_for(request)
    pupil = access.get_documents_pupil_or_404(request, pk)
    if not access.can_manage_care_team(actor, pupil):
        return _external_page(request, actor, pupil)
    return render(request, "careroute/pupil_documents.html", tab_context(request, actor, pupil))


def _external_page(request, actor, pupil) -> HttpResponse:
    """The care-team member: the documents selected for the pupil's open, consented case."""
    documents = list(
        access.case_documents_visible(actor)
        .filter(registration__pupil=pupil)
        .select_related("meeting_item__meeting", "hgd_request")
        .order_by("selected_at", "pk")
    )
    # The items of the care-team meetings they attend: their pages (a selected item is
    # among the documents, as its report).
    items = list(
        access.care_team_items_attended(actor)
        .filter(pupil=pupil)
        .select_related("meeting")
        .order_by("-meeting__date", "-pk")
    )
    return render(
        request,
        "careroute/case_documents.html",
        {"pupil": pupil, "rows": _document_links(actor, documents), "items": items},
    )


def tab_context(request, actor, pupil, **extra) -> dict:
    registration = cases.current_registration(pupil)
    case = getattr(registration, "case", None) if registration else None
    guardians = list(pupil.guardians.all())
    state = consent_state(pupil, ConsentPurpose.CARE_TEAM, registration=registration)
    latest = state.decisions if registration else {}
    history = (
        Consent.objects.filter(pupil=pupil)
        .select_related("guardian", "recorded_by")
        .order_by("-recorded_at", "-pk")
    )
    page = Paginator(history, HISTORY_PER_PAGE).get_page(request.GET.get("page"))
    documents = []
    selected_keys: set[str] = set()
    choices = []
    if registration is not None:
        documents = list(
            CaseDocument.objects.filter(registration=registration)
            .select_related("meeting_item__meeting", "hgd_request")
            .order_by("selected_at", "pk")
        )
        selected_keys = {cases.document_key(d) for d in documents}
        choices = [
            {"key": key, "title": title, "checked": key in selected_keys}
            for key, title in cases.document_choices(pupil)
        ]
    on_agenda = []
    agenda_form = monitoring_form = None
    if case is not None:
        on_agenda = list(
            MeetingItem.objects.filter(
                pupil=pupil,
                meeting__kind=MeetingKind.CARE_TEAM,
                created_at__gte=case.opened_at,
            )
            .select_related("meeting")
            .order_by("meeting__date", "pk")
        )
        if case.status == CaseStatus.OPEN:
            # The meetings the pupil is not on yet.
            agenda_form = AgendaForm(
                meetings=cases.agenda_meetings(case).exclude(items__pupil=pupil)
            )
            monitoring_form = MonitoringForm()
    context = {
        "pupil": pupil,
        "guardians": guardians,
        "registration": registration,
        "case": case,
        "state": state,
        "latest": [(g, latest.get(g.pk)) for g in guardians if g.has_parental_authority],
        "page": page,
        "documents": _document_links(actor, documents),
        "choices": choices,
        "on_agenda": on_agenda,
        "agenda_form": agenda_form,
        "monitoring_form": monitoring_form,
        "can_edit_guardians": access.can_edit_guardians(actor, pupil),
        # Taken off only while the meeting's agenda can change (not signed off).
        "upcoming_ids": {
            item.meeting_id for item in on_agenda if item.meeting.status in cases.OPEN_AGENDA
        },
    }
    context.update(extra)
    return context


def _ib_pupil(request: HttpRequest, pk: int):
    actor = access.actor_for(request)
    pupil = access.get_pupil_or_404(request, pk, access.Category.SENSITIVE)
    if not access.can_manage_care_team(actor, pupil):
        raise Http404
    return actor, pupil


@require_http_methods(["GET", "POST"])
def consent_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Record one guardian's decision. Errors: 422 with what was typed kept (a file must be
    chosen again: browsers never re-send one)."""
    _actor, pupil = _ib_pupil(request, pk)
    registration = cases.current_registration(pupil)
    url = reverse("careroute:consent_add", args=[pupil.pk])
    form = ConsentForm(
        request.POST or None,
        request.FILES or None,
        pupil=pupil,
        registration=registration,
        action=url,
    )
    if request.method == "GET":
        return _consent_page(request, pupil, form)
    if form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                log_entry = None
                if data["how"] == ConsentHow.CONVERSATION:
                    log_entry = consents.note_conversation(
                        pupil=pupil,
                        date=data["decided_on"],
                        notes=data["notes"],
                        participants=data["participants"],
                        by=request.user,
                    )
                consents.record_consent(
                    pupil=pupil,
                    guardian=form.guardians[data["guardian"]],
                    purpose=data["purpose"],
                    decision=data["decision"],
                    decided_on=data["decided_on"],
                    how=data["how"],
                    by=request.user,
                    registration=registration,
                    hgd_request=form.hgd_requests.get(data.get("hgd_request")),
                    recipient=data["recipient"],
                    end_date=data["end_date"],
                    form=data.get("form_file") or None,
                    log_entry=log_entry,
                )
        except ValidationError as problem:
            form.add_error(None, problem)
        else:
            messages.success(request, _("The decision has been recorded."))
            return redirect(dossier_tab_url(pupil.pk))
    return _consent_page(request, pupil, form, status=422)


def _consent_page(request, pupil, form, status=200) -> HttpResponse:
    return render(
        request,
        "careroute/consent_form.html",
        {"pupil": pupil, "form": form, "no_guardian": not form.guardians},
        status=status,
    )


def consent_form_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The signed form of a decision: the IB of the pupil's school, as a download that no
    cache keeps. Never served from MEDIA_URL."""
    actor = access.actor_for(request)
    try:
        consent = Consent.objects.select_related("pupil").get(
            pk=pk, pupil__school=getattr(actor.school, "pk", None)
        )
    except Consent.DoesNotExist:
        raise Http404 from None
    if not access.can_view_consent_form(actor, consent) or not consent.form:
        raise Http404
    access.note_pupils(request, [consent.pupil_id])
    try:
        with consent.form.open("rb") as handle:
            content = handle.read()
    except FileNotFoundError:
        raise Http404 from None
    # A form is at most MAX_FORM_BYTES: read whole, so no file stays open.
    return attachment(
        content,
        "application/pdf",
        f"toestemming-{consent.decided_on:%Y-%m-%d}-{consent.pk}.pdf",
    )
