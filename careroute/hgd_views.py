"""Diagnostics (HGD) pages: the dossier tab "onderzoek", a new request, the request page with
its forms, and the report download (through the access check only)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Role
from careroute import hgd as actions
from careroute.consent import consent_state, hgd_consent_states
from careroute.hgd_forms import HGDRequestForm, RecommendationsForm, ReportUploadForm
from careroute.models import ConsentPurpose, HGDRequest, HGDStatus
from groupplans.actions import StaleRow
from hgw import access
from hgw.downloads import attachment

REQUESTS_PER_PAGE = 10


def _pupil_for_tab(request: HttpRequest, pk: int):
    """The IB sees the tab with every request; the pupil's teacher only the shared ones."""
    actor = access.actor_for(request)
    if access.pupils_visible(actor, access.Category.SENSITIVE).filter(pk=pk).exists():
        return access.get_pupil_or_404(request, pk, access.Category.SENSITIVE), True
    if not actor.has(Role.TEACHER):
        raise Http404
    return access.get_pupil_or_404(request, pk, access.Category.LEARNING), False


def pupil_hgd(request: HttpRequest, pk: int) -> HttpResponse:
    """The dossier tab: the pupil's diagnostics requests, newest first, with the state of the
    parents' consent for each (what is missing)."""
    actor = access.actor_for(request)
    pupil, sees_all = _pupil_for_tab(request, pk)
    requests = HGDRequest.objects.filter(pupil=pupil).order_by("-created_at", "-pk")
    if not sees_all:
        requests = requests.filter(shared_at__isnull=False)
    page = Paginator(requests, REQUESTS_PER_PAGE).get_page(request.GET.get("page"))
    states = hgd_consent_states(pupil, list(page.object_list)) if sees_all else {}
    rows = [{"hgd": hgd, "consent": states.get(hgd.pk)} for hgd in page.object_list]
    return render(
        request,
        "careroute/pupil_hgd.html",
        {
            "pupil": pupil,
            "page": page,
            "rows": rows,
            "can_request": access.can_request_hgd(actor, pupil),
            "level_too_low": not actions.may_request(pupil),
        },
    )


@require_http_methods(["GET", "POST"])
def hgd_create(request: HttpRequest, pk: int) -> HttpResponse:
    """The IB asks for diagnostics for a pupil at level 2 or up."""
    actor = access.actor_for(request)
    pupil = access.get_pupil_or_404(request, pk, access.Category.SENSITIVE)
    if not access.can_request_hgd(actor, pupil):
        raise Http404
    url = reverse("careroute:hgd_create", args=[pupil.pk])
    form = HGDRequestForm(request.POST or None, hgd=None, action=url)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                hgd = actions.request_hgd(pupil=pupil, by=request.user, **form.values())
            except ValidationError as problem:
                form.add_error(None, problem)
            else:
                messages.success(request, _("The diagnostics request has been saved."))
                return redirect("careroute:hgd_detail", pk=hgd.pk)
        status = 422
    return render(
        request,
        "careroute/hgd_create.html",
        {
            "pupil": pupil,
            "form": form,
            "level_too_low": not actions.may_request(pupil),
        },
        status=status,
    )


def _urls(hgd: HGDRequest) -> dict:
    return {
        name: reverse(f"careroute:{name}", args=[hgd.pk])
        for name in ("hgd_detail", "hgd_upload", "hgd_recommendations")
    }


def _page(
    request: HttpRequest,
    hgd: HGDRequest,
    *,
    request_form=None,
    upload_form=None,
    advice_form=None,
    primary: str = "request",
    current: HGDRequest | None = None,
    status: int = 200,
) -> HttpResponse:
    actor = access.actor_for(request)
    can_edit = access.can_edit_hgd(actor, hgd)
    context = {"hgd": hgd, "pupil": hgd.pupil, "can_edit": can_edit, "current": current}
    if can_edit:
        urls = _urls(hgd)
        request_form = request_form or HGDRequestForm(hgd=hgd, action=urls["hgd_detail"])
        upload_form = upload_form or ReportUploadForm(
            action=urls["hgd_upload"], replacing=bool(hgd.report)
        )
        if hgd.status == HGDStatus.REPORTED:
            advice_form = advice_form or RecommendationsForm(
                hgd=hgd, action=urls["hgd_recommendations"]
            )
        context |= {
            "request_form": request_form,
            "upload_form": upload_form,
            "advice_form": advice_form,
            "form": advice_form if primary == "advice" else request_form,
            "consent": consent_state(hgd.pupil, ConsentPurpose.HGD, hgd_request=hgd),
            "can_download": access.can_download_hgd_report(actor, hgd),
            "can_translate": hgd.status == HGDStatus.REPORTED and bool(hgd.educational_needs),
            "can_share": hgd.shared_at is None
            and bool(hgd.recommendations or hgd.educational_needs),
            "row": actions.current_row(hgd.pupil),
        }
    return render(request, "careroute/hgd_detail.html", context, status=status)


def _stale(request, hgd: HGDRequest, form_class, primary: str, action: str):
    """Someone else saved meanwhile: the page again (409) with both versions; what the
    person typed stays in the form, now over the version they have seen."""
    current = HGDRequest.objects.select_related("pupil").get(pk=hgd.pk)
    data = request.POST.copy()
    data["version"] = str(current.version)
    form = form_class(data, hgd=current, action=action)
    form.is_valid()
    messages.warning(
        request, _("Someone else saved this while you were editing it. Check both versions.")
    )
    forms = {"request_form": form} if primary == "request" else {"advice_form": form}
    return _page(request, current, primary=primary, current=current, status=409, **forms)


@require_http_methods(["GET", "POST"])
def hgd_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The request: for the IB the forms; for the teacher, once shared, the recommendations
    and the educational needs (never the report)."""
    hgd = access.get_hgd_or_404(request, pk)
    if request.method == "GET":
        return _page(request, hgd)
    if not access.can_edit_hgd(access.actor_for(request), hgd):
        raise Http404
    url = reverse("careroute:hgd_detail", args=[hgd.pk])
    form = HGDRequestForm(request.POST, hgd=hgd, action=url)
    if form.is_valid():
        try:
            actions.save_hgd_request(
                request=hgd,
                values=form.values(),
                seen_version=form.cleaned_data["version"],
                by=request.user,
            )
        except actions.StaleRequest:
            return _stale(request, hgd, HGDRequestForm, "request", url)
        except ValidationError as problem:
            form.add_error(None, problem)
        else:
            messages.success(request, _("The request has been saved."))
            return redirect("careroute:hgd_detail", pk=hgd.pk)
    elif "version" in form.errors:
        return _stale(request, hgd, HGDRequestForm, "request", url)
    return _page(request, hgd, request_form=form, status=422)


@require_POST
def hgd_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """The expert's report: a PDF, once the parents' consent for this request stands."""
    hgd = access.get_hgd_or_404(request, pk)
    if not access.can_edit_hgd(access.actor_for(request), hgd):
        raise Http404
    form = ReportUploadForm(
        request.POST,
        request.FILES,
        action=reverse("careroute:hgd_upload", args=[hgd.pk]),
        replacing=bool(hgd.report),
    )
    file = request.FILES.get("report")
    try:
        # A file the form would refuse (none, empty) still gets the action's own reasons.
        actions.upload_report(request=hgd, file=file, by=request.user)
    except ValidationError as problem:
        form.errors.clear()
        form.add_error("report", problem)
        return _page(request, hgd, upload_form=form, status=422)
    messages.success(request, _("The report has been uploaded."))
    return redirect("careroute:hgd_detail", pk=hgd.pk)


@require_http_methods(["GET", "POST"])
def hgd_recommendations(request: HttpRequest, pk: int) -> HttpResponse:
    """The IB's recommendations and educational needs, over the version they saw."""
    hgd = access.get_hgd_or_404(request, pk)
    if not access.can_edit_hgd(access.actor_for(request), hgd):
        raise Http404
    if hgd.status != HGDStatus.REPORTED:
        messages.warning(request, _("Upload the report first."))
        return redirect("careroute:hgd_detail", pk=hgd.pk)
    if request.method == "GET":
        return _page(request, hgd, primary="advice")
    url = reverse("careroute:hgd_recommendations", args=[hgd.pk])
    form = RecommendationsForm(request.POST, hgd=hgd, action=url)
    if form.is_valid():
        try:
            actions.save_recommendations(
                request=hgd,
                recommendations=form.cleaned_data["recommendations"],
                educational_needs=form.cleaned_data["educational_needs"],
                seen_version=form.cleaned_data["version"],
                by=request.user,
            )
        except actions.StaleRequest:
            return _stale(request, hgd, RecommendationsForm, "advice", url)
        except ValidationError as problem:
            form.add_error(None, problem)
        else:
            messages.success(request, _("The recommendations have been saved."))
            return redirect("careroute:hgd_detail", pk=hgd.pk)
    elif "version" in form.errors:
        return _stale(request, hgd, RecommendationsForm, "advice", url)
    return _page(request, hgd, advice_form=form, primary="advice", status=422)


@require_POST
def hgd_translate(request: HttpRequest, pk: int) -> HttpResponse:
    """The educational needs onto the pupil's current group-overview row."""
    hgd = access.get_hgd_or_404(request, pk)
    if not access.can_edit_hgd(access.actor_for(request), hgd):
        raise Http404
    try:
        actions.translate_to_needs(request=hgd, by=request.user)
    except StaleRow:
        messages.warning(
            request, _("Someone else saved the group overview meanwhile. Please try again.")
        )
    except ValidationError as problem:
        for text in problem.messages:
            messages.warning(request, text)
    else:
        messages.success(
            request,
            _("The educational needs have been added to the pupil's group overview."),
        )
    return redirect("careroute:hgd_detail", pk=hgd.pk)


@require_POST
def hgd_share(request: HttpRequest, pk: int) -> HttpResponse:
    """The IB shares the recommendations and needs with the pupil's teacher."""
    hgd = access.get_hgd_or_404(request, pk)
    if not access.can_edit_hgd(access.actor_for(request), hgd):
        raise Http404
    try:
        actions.share_recommendations(request=hgd, by=request.user)
    except ValidationError as problem:
        for text in problem.messages:
            messages.warning(request, text)
    else:
        messages.success(request, _("The recommendations have been shared with the teacher."))
    return redirect("careroute:hgd_detail", pk=hgd.pk)


def hgd_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The report file, through the access check only (the IB of the school; a care-team
    member when the IB selected it for the pupil's case). Read whole
    (at most HGD_REPORT_MAX_BYTES): a streamed file stays open until someone closes the
    response, which the test client and some middleware never do."""
    actor = access.actor_for(request)
    if access.selected_for_member(actor, hgd_request_id=pk):
        # A care-team member: the report the IB selected for the pupil's case.
        hgd = HGDRequest.objects.select_related("pupil").get(pk=pk)
        access.note_pupils(request, [hgd.pupil])
        if not hgd.report:
            raise Http404
    else:
        hgd = access.get_hgd_or_404(request, pk)
        if not access.can_download_hgd_report(actor, hgd):
            raise Http404
    try:
        with hgd.report.open("rb") as handle:
            content = handle.read()
    except FileNotFoundError:
        raise Http404 from None
    day = (hgd.report_uploaded_at or hgd.created_at).date().isoformat()
    response = attachment(content, "application/pdf", f"hgd-verslag-{hgd.pk}-{day}.pdf")
    response["X-Content-Type-Options"] = "nosniff"
    return response
