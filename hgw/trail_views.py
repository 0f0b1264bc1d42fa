"""The audit trail for the IB and the privacy officer, and the parents' right of access.

Reading who saw or changed a pupil's data is itself reading pupil data: every page notes the
pupils it shows, so the access log records it like any other page.
"""

import json

from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode

from audit.log import note_pupils
from hgw import access, trail
from hgw.downloads import attachment
from hgw.pdf import render_pdf, static_file_url
from hgw.pupil_export import as_data, gather
from hgw.trail_forms import PupilSearchForm, TrailFilterForm
from pupils.models import Enrolment

PER_PAGE = 50


def _trail_actor(request: HttpRequest) -> access.Actor:
    actor = access.actor_for(request)
    if not access.can_view_audit_trail(actor):
        raise Http404
    return actor


def _shows_learning(actor: access.Actor) -> bool:
    return access.Category.LEARNING in access.categories_for(actor)


def _filters(request: HttpRequest, actor: access.Actor) -> tuple[TrailFilterForm, trail.Filters]:
    form = TrailFilterForm(request.GET or None, school=actor.school)
    if not form.is_valid():
        return form, trail.Filters()
    data = form.cleaned_data
    return form, trail.Filters(
        pupil_id=data["pupil"],
        user_id=data["user"].pk if data["user"] else None,
        date_from=data["date_from"],
        date_to=data["date_to"],
    )


def _extra_query(form: TrailFilterForm) -> str:
    """The filters again, for the pagination links (ids and dates only)."""
    if not form.is_bound or not form.is_valid():
        return ""
    values = {k: v for k, v in form.data.items() if k in form.fields and v}
    return urlencode(values)


def access_list(request: HttpRequest) -> HttpResponse:
    actor = _trail_actor(request)
    form, filters = _filters(request, actor)
    page = Paginator(trail.access_entries(actor.school, filters), PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = trail.access_rows(
        actor.school, list(page.object_list), show_learning=_shows_learning(actor)
    )
    note_pupils(request, {pupil.pk for row in rows for pupil in row.pupils})
    return render(
        request,
        "trail/access_list.html",
        {"form": form, "page": page, "rows": rows, "extra_query": _extra_query(form)},
    )


def revision_list(request: HttpRequest) -> HttpResponse:
    actor = _trail_actor(request)
    form, filters = _filters(request, actor)
    page = Paginator(trail.revision_index(actor.school, filters), PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = trail.revisions(
        actor.school, list(page.object_list), show_learning=_shows_learning(actor)
    )
    note_pupils(request, {row.pupil.pk for row in rows})
    return render(
        request,
        "trail/revision_list.html",
        {"form": form, "page": page, "rows": rows, "extra_query": _extra_query(form)},
    )


def pupil_search(request: HttpRequest) -> HttpResponse:
    """Identify a pupil in the audit trail by name: POST, so the name stays out of URLs."""
    actor = _trail_actor(request)
    form = PupilSearchForm(request.POST or None)
    pupils = None
    if request.method == "POST" and form.is_valid():
        pupils = list(
            access.pupils_in_audit_trail(actor).search(form.cleaned_data["q"]).ordered()[:50]
        )
        current = {
            e.pupil_id: e.group
            for e in Enrolment.objects.running_on(actor.today)
            .filter(pupil__in=pupils, kind="main")
            .select_related("group")
        }
        for pupil in pupils:
            pupil.current_group = current.get(pupil.pk)
        note_pupils(request, pupils)
    return render(request, "trail/pupil_search.html", {"form": form, "pupils": pupils})


def pupil_trail(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Who saw my child's file": every access to the pupil's data and every change of it."""
    actor = access.actor_for(request)
    pupil = access.get_pupil_in_audit_trail_or_404(request, pk)
    school = actor.school
    filters = trail.Filters(pupil_id=pupil.pk)
    access_page = Paginator(trail.access_entries(school, filters), PER_PAGE).get_page(
        request.GET.get("access_page")
    )
    revision_page = Paginator(trail.revision_index(school, filters), PER_PAGE).get_page(
        request.GET.get("revision_page")
    )
    return render(
        request,
        "trail/pupil_trail.html",
        {
            "pupil": pupil,
            "access_page": access_page,
            "access_rows": trail.access_rows(
                school, list(access_page.object_list), show_learning=_shows_learning(actor)
            ),
            "revision_page": revision_page,
            "revision_rows": trail.revisions(
                school, list(revision_page.object_list), show_learning=_shows_learning(actor)
            ),
            "can_export": access.can_export_pupil_data(actor),
            "now": timezone.now(),
        },
    )


# The parents' right of access ---------------------------------------------------------------


def _export_pupil(request: HttpRequest, pk: int):
    actor = access.actor_for(request)
    if not access.can_export_pupil_data(actor):
        raise Http404
    return access.get_pupil_or_404(request, pk, access.Category.SENSITIVE)


def _filename(pupil, extension: str) -> str:
    # The pupil's number, never the name.
    return f"inzage-{pupil.pk}-{timezone.localdate():%Y-%m-%d}.{extension}"


def pupil_export_json(request: HttpRequest, pk: int) -> HttpResponse:
    pupil = _export_pupil(request, pk)
    data = as_data(gather(pupil), by=request.user)
    content = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    return attachment(content.encode(), "application/json", _filename(pupil, "json"))


def pupil_export_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The same data as the JSON, to read. Rendered in the request: one pupil's data is a few
    pages (about 0.3 s a page); long documents (the referral dossier) belong in the worker."""
    pupil = _export_pupil(request, pk)
    pdf = render_pdf(
        "pdf/pupil_export.html",
        {
            "record": gather(pupil),
            "pupil": pupil,
            "school": pupil.school,
            "by": request.user,
            "generated_at": timezone.localtime(),
            "stylesheet": static_file_url("pdf/document.css"),
        },
    )
    return attachment(pdf, "application/pdf", _filename(pupil, "pdf"))
