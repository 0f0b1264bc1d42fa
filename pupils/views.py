from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models.functions import Lower
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.log import note_pupils
from hgw import access
from pupils.actions import assign_teacher, record_result, save_guardian
from pupils.charts import ChartPoint, growth_chart_svg
from pupils.csvfiles import CsvError
from pupils.csvimports import FIELDS
from pupils.edexml import EdexError
from pupils.forms import (
    ColumnsForm,
    GuardianForm,
    ImportOptionsForm,
    ImportUploadForm,
    InstrumentForm,
    RolloverForm,
    TeacherAssignmentForm,
    TestResultForm,
)
from pupils.imports import (
    SECTIONS,
    ImportRefused,
    cancel_import,
    confirm_import,
    plan_record,
    set_columns,
    set_options,
    start_import,
)
from pupils.models import (
    Enrolment,
    GroupTeacherAssignment,
    Guardian,
    ImportKind,
    ImportRecord,
    ImportStatus,
    Instrument,
    TestResult,
)
from pupils.results import results_by_instrument
from pupils.rollover import LEAVES, apply_rollover, plan_rollover, summarise_rollover
from schools.models import SchoolYear

# Sort keys a group page accepts, and how each orders the pupils.
GROUP_SORTS = {
    "name": ("family", "given"),
    "-name": ("-family", "-given"),
    "birth": ("date_of_birth",),
    "-birth": ("-date_of_birth",),
}


def group_list(request: HttpRequest) -> HttpResponse:
    actor = access.actor_for(request)
    years = SchoolYear.objects.filter(groups__in=access.groups_visible(actor)).distinct()
    current = SchoolYear.current(actor.today)
    year_param = request.GET.get("jaar", "")
    year = next((y for y in years if str(y.start_year) == year_param), None) or current
    groups = access.groups_visible(actor).in_year(year).with_pupil_counts(actor.today).ordered()
    page = Paginator(groups, 40).get_page(request.GET.get("page"))
    return render(
        request,
        "pupils/group_list.html",
        {
            "page": page,
            "years": years,
            "year": year,
            "extra_query": f"jaar={year.start_year}" if year else "",
            "can_rollover": access.can_manage_staff(actor),
        },
    )


def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = access.actor_for(request)
    group = access.get_group_or_404(request, pk)
    sort = request.GET.get("sort", "name")
    form = _assignment_form(actor, group) if access.can_assign_teachers(actor, group) else None
    return _render_group(request, actor, group, sort=sort, form=form)


@require_POST
def assignment_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = access.actor_for(request)
    group = access.get_group_or_404(request, pk)
    if not access.can_assign_teachers(actor, group):
        raise Http404
    form = _assignment_form(actor, group, request.POST)
    if not form.is_valid():
        return _render_group(request, actor, group, sort="name", form=form)
    assign_teacher(
        group=group,
        teacher=form.cleaned_data["teacher"],
        start_date=form.cleaned_data["start_date"],
        end_date=form.end_date,
        is_substitute=form.cleaned_data["is_substitute"],
    )
    messages.success(request, _("The teacher has been added to the group."))
    return redirect("pupils:group_detail", pk=group.pk)


def _assignment_form(actor, group, data=None) -> TeacherAssignmentForm:
    return TeacherAssignmentForm(
        data,
        school=actor.school,
        action=reverse("pupils:assignment_add", kwargs={"pk": group.pk}),
    )


def _render_group(request, actor, group, *, sort: str, form) -> HttpResponse:
    """The group page: its pupils today (sortable), its teachers, and the assignment form."""
    if sort not in GROUP_SORTS:
        sort = "name"
    pupils = list(
        access.pupils_visible(actor)
        .in_group(group, on=actor.today)
        .annotate(family=Lower("family_name"), given=Lower("given_name"))
        .order_by(*GROUP_SORTS[sort], "pk")
    )
    note_pupils(request, pupils)
    return render(
        request,
        "pupils/group_detail.html",
        {
            "group": group,
            "pupils": pupils,
            "sort": sort,
            "today": actor.today,
            "assignments": GroupTeacherAssignment.objects.filter(group=group)
            .select_related("teacher")
            .order_by("-start_date", "teacher__full_name"),
            "can_assign_teachers": form is not None,
            "form": form,
            "can_view_meetings": access.can_view_meetings(actor),
        },
    )


def pupil_list(request: HttpRequest) -> HttpResponse:
    actor = access.actor_for(request)
    if not access.can_search_pupils(actor):
        raise Http404
    # Searched by POST so that names stay out of URLs and server logs.
    query = request.POST.get("q", "").strip()[:100]
    pupils = access.pupils_visible(actor)
    if query:
        pupils = pupils.search(query)
    page = Paginator(pupils.ordered(), 50).get_page(request.POST.get("page"))
    rows = list(page.object_list)
    current = {
        e.pupil_id: e.group
        for e in Enrolment.objects.running_on(actor.today)
        .filter(pupil__in=rows, kind="main")
        .select_related("group")
    }
    for pupil in rows:
        pupil.current_group = current.get(pupil.pk)
    note_pupils(request, rows)
    return render(request, "pupils/pupil_list.html", {"page": page, "rows": rows, "q": query})


def pupil_basic(request: HttpRequest, pk: int) -> HttpResponse:
    """The dossier tab "gegevens": the pupil's details, groups and guardians."""
    pupil = access.get_pupil_or_404(request, pk, access.Category.BASIC)
    enrolments = (
        Enrolment.objects.filter(pupil=pupil)
        .select_related("group__school_year")
        .order_by("-start_date")
    )
    return render(
        request,
        "pupils/pupil_basic.html",
        {
            "pupil": pupil,
            "enrolments": enrolments,
            "guardians": pupil.guardians.all(),
            "today": timezone.localdate(),
            "can_edit_guardians": access.can_edit_guardians(access.actor_for(request), pupil),
            "can_export_pupil_data": access.can_export_pupil_data(access.actor_for(request)),
        },
    )


def pupil_results(request: HttpRequest, pk: int) -> HttpResponse:
    """The dossier tab "toetsen": results per test, with a growth chart where there are scores."""
    actor = access.actor_for(request)
    pupil = access.get_pupil_or_404(request, pk, access.Category.LEARNING)
    series = results_by_instrument(
        list(TestResult.objects.filter(pupil=pupil).select_related("instrument"))
    )
    charts = {
        item.instrument.pk: growth_chart_svg(
            [
                ChartPoint(
                    day=row.result.date_taken,
                    score=row.result.score,
                    level=row.result.level,
                    label=row.result.moment,
                )
                for row in item.rows
                if row.result.score is not None
            ],
            title=_("%(test)s: scores of %(pupil)s over time")
            % {"test": item.instrument.name, "pupil": pupil.full_name},
            description=_("The same results are in the table below the chart."),
        )
        for item in series
        if item.has_scores and len(item.rows) > 1
    }
    return render(
        request,
        "pupils/pupil_results.html",
        {
            "pupil": pupil,
            "series": [(item, charts.get(item.instrument.pk)) for item in series],
            "can_enter_results": access.can_enter_results(actor, pupil),
        },
    )


def result_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = access.actor_for(request)
    pupil = access.get_pupil_or_404(request, pk, access.Category.LEARNING)
    if not access.can_enter_results(actor, pupil):
        raise Http404
    form = TestResultForm(
        request.POST or None,
        pupil=pupil,
        action=reverse("pupils:result_add", kwargs={"pk": pupil.pk}),
    )
    if request.method == "POST" and form.is_valid():
        record_result(pupil=pupil, by=request.user, **form.cleaned_data)
        messages.success(request, _("The result has been saved."))
        return redirect("pupil_dossier_tab", pk=pupil.pk, tab="toetsen")
    return render(request, "pupils/result_add.html", {"pupil": pupil, "form": form})


# Imports ------------------------------------------------------------------------------------


def _import_actor(request: HttpRequest) -> access.Actor:
    actor = access.actor_for(request)
    if not access.can_import(actor):
        raise Http404
    return actor


def _get_import_or_404(actor: access.Actor, pk: int) -> ImportRecord:
    try:
        return ImportRecord.objects.select_related("created_by").get(pk=pk, school=actor.school)
    except ImportRecord.DoesNotExist:
        raise Http404 from None


def import_list(request: HttpRequest) -> HttpResponse:
    actor = _import_actor(request)
    return _render_import_list(request, actor, _upload_form())


def _upload_form(data=None, files=None) -> ImportUploadForm:
    return ImportUploadForm(data, files, action=reverse("pupils:import_upload"))


def _render_import_list(request, actor, form) -> HttpResponse:
    records = ImportRecord.objects.filter(school=actor.school).select_related("created_by")
    page = Paginator(records.defer("data"), 25).get_page(request.GET.get("page"))
    return render(request, "pupils/import_list.html", {"page": page, "form": form})


@require_POST
def import_upload(request: HttpRequest) -> HttpResponse:
    actor = _import_actor(request)
    form = _upload_form(request.POST, request.FILES)
    if not form.is_valid():
        return _render_import_list(request, actor, form)
    kind, upload = form.cleaned_data["kind"], form.cleaned_data["file"]
    try:
        record = start_import(
            kind=kind,
            data=upload.read(),
            file_name=upload.name,
            school=actor.school,
            by=request.user,
        )
    except (EdexError, CsvError, ImportRefused) as error:
        form.add_error("file", str(error))
        return _render_import_list(request, actor, form)
    if record.status == ImportStatus.MAPPING:
        return redirect("pupils:import_columns", pk=record.pk)
    return redirect("pupils:import_detail", pk=record.pk)


def import_columns(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _import_actor(request)
    record = _get_import_or_404(actor, pk)
    if not record.is_open or record.kind == ImportKind.EDEXML:
        return redirect("pupils:import_detail", pk=record.pk)
    form = ColumnsForm(
        request.POST or None,
        fields=FIELDS[record.kind],
        headers=record.data["headers"],
        initial_columns=record.options.get("columns", {}),
        action=reverse("pupils:import_columns", kwargs={"pk": record.pk}),
    )
    if request.method == "POST" and form.is_valid():
        set_columns(record=record, columns=form.cleaned_data)
        return redirect("pupils:import_detail", pk=record.pk)
    headers = record.data["headers"]
    sample_rows = [
        (number, [values.get(h, "") for h in headers]) for number, values in record.data["rows"][:5]
    ]
    return render(
        request,
        "pupils/import_columns.html",
        {"record": record, "form": form, "sample_rows": sample_rows},
    )


def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The preview of an open import, the progress of a running one, the outcome of the rest."""
    actor = _import_actor(request)
    record = _get_import_or_404(actor, pk)
    if record.status == ImportStatus.MAPPING:
        return redirect("pupils:import_columns", pk=record.pk)
    context = {
        "record": record,
        "counts_display": [
            (str(label), record.counts[key])
            for key, label in SECTIONS.items()
            if key in record.counts
        ],
    }
    if record.status == ImportStatus.PREVIEW:
        action = reverse("pupils:import_detail", kwargs={"pk": record.pk})
        options = ImportOptionsForm(
            request.POST or None, kind=record.kind, action=action, initial=record.options
        )
        if request.method == "POST" and options.is_valid():
            set_options(record=record, options=options.cleaned_data)
            return redirect("pupils:import_detail", pk=record.pk)
        try:
            plan = plan_record(record)
        except ImportRefused as error:
            context["refused"] = str(error)
        else:
            if not plan.blockers and not record.options.get("create_school_year"):
                options.fields.pop("create_school_year", None)  # the year exists
            if not plan.problems and not record.options.get("skip_problems"):
                options.fields.pop("skip_problems", None)
            context |= {
                "plan": plan,
                "options_form": options,
                "can_confirm": plan.can_apply(
                    skip_problems=record.options.get("skip_problems", False)
                ),
            }
    if request.htmx:
        # The progress poll: once the worker is done, reload the page to show the outcome.
        if not record.is_running:
            return HttpResponse(headers={"HX-Refresh": "true"})
        return render(request, "pupils/import_detail.html#status", context)
    return render(request, "pupils/import_detail.html", context)


@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _import_actor(request)
    record = _get_import_or_404(actor, pk)
    try:
        confirm_import(record=record)
    except ImportRefused as error:
        messages.error(request, str(error))
    return redirect("pupils:import_detail", pk=record.pk)


@require_POST
def import_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _import_actor(request)
    record = _get_import_or_404(actor, pk)
    if record.is_open:
        cancel_import(record=record)
        messages.success(request, _("The import has been cancelled; nothing has been changed."))
    return redirect("pupils:import_list")


# A new school year --------------------------------------------------------------------------


def rollover(request: HttpRequest) -> HttpResponse:
    """Next year's groups from this year's, every pupil a grade up, exceptions marked here."""
    actor = access.actor_for(request)
    if not access.can_manage_staff(actor):
        raise Http404
    source = SchoolYear.current(actor.today)
    if source is None:
        raise Http404
    plan = plan_rollover(school=actor.school, source_year=source)
    form = RolloverForm(request.POST or None, plan=plan)
    summary = None
    if request.method == "POST" and form.is_valid():
        choices = form.choices()
        if "confirm" in request.POST:
            counts = apply_rollover(school=actor.school, plan=plan, choices=choices)
            messages.success(
                request,
                _(
                    "School year %(year)s is ready: %(moved)s pupils moved up, %(repeated)s "
                    "stay in their grade, %(left)s leave the school."
                )
                % {"year": plan.target_name, **counts},
            )
            return redirect(f"{reverse('pupils:group_list')}?jaar={plan.target_start_year}")
        summary = summarise_rollover(plan, choices)
    return render(
        request,
        "pupils/rollover.html",
        {"plan": plan, "form": form, "summary": summary, "leaves": LEAVES},
    )


# Guardians ----------------------------------------------------------------------------------


def guardian_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = access.actor_for(request)
    pupil = access.get_pupil_or_404(request, pk)
    if not access.can_edit_guardians(actor, pupil):
        raise Http404
    return _guardian_form(request, pupil, Guardian(pupil=pupil))


def guardian_edit(request: HttpRequest, pk: int, guardian_pk: int) -> HttpResponse:
    actor = access.actor_for(request)
    pupil = access.get_pupil_or_404(request, pk)
    if not access.can_edit_guardians(actor, pupil):
        raise Http404
    try:
        guardian = pupil.guardians.get(pk=guardian_pk)
    except Guardian.DoesNotExist:
        raise Http404 from None
    return _guardian_form(request, pupil, guardian)


def _guardian_form(request, pupil, guardian) -> HttpResponse:
    url = (
        reverse("pupils:guardian_edit", kwargs={"pk": pupil.pk, "guardian_pk": guardian.pk})
        if guardian.pk
        else reverse("pupils:guardian_add", kwargs={"pk": pupil.pk})
    )
    form = GuardianForm(request.POST or None, instance=guardian, action=url)
    if request.method == "POST" and form.is_valid():
        save_guardian(guardian=form.save(commit=False), by=request.user)
        messages.success(request, _("The guardian has been saved."))
        return redirect("pupil_dossier_tab", pk=pupil.pk, tab="gegevens")
    return render(
        request,
        "pupils/guardian_form.html",
        {"pupil": pupil, "guardian": guardian, "form": form, "current": form.current},
    )


# Instruments --------------------------------------------------------------------------------


def instrument_list(request: HttpRequest) -> HttpResponse:
    actor = access.actor_for(request)
    if not access.can_import(actor):
        raise Http404
    form = InstrumentForm(
        request.POST or None, school=actor.school, action=reverse("pupils:instrument_list")
    )
    if request.method == "POST" and form.is_valid():
        form.instance.school = actor.school
        form.save()
        messages.success(request, _("The test has been added."))
        return redirect("pupils:instrument_list")
    instruments = Instrument.objects.for_school(actor.school).order_by("subject", "name")
    return render(
        request, "pupils/instrument_list.html", {"instruments": instruments, "form": form}
    )
