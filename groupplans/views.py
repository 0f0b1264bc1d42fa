"""The group overview: list, start, the grid (one step at a time), row saves (htmx or plain
forms), suggestions, sending to the IB, and marking it discussed."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import BooleanField
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from groupplans import actions, grid
from groupplans.forms import STEPS, DecisionForm, OverviewCreateForm, RowForm, SendForm
from groupplans.models import (
    NEED_ASPECTS,
    GroupOverview,
    OverviewRow,
    OverviewStatus,
    SignalDecision,
)
from hgw import access
from pupils.models import Group
from schools.models import Period, SchoolYear

PER_PAGE = 25


def _step(request: HttpRequest) -> int:
    try:
        step = int(request.GET.get("stap") or request.POST.get("stap") or 1)
    except ValueError:
        return 1
    return step if step in STEPS else 1


def _creatable_groups(actor: access.Actor, year: SchoolYear | None):
    if actor.has(access.Role.CARE_COORDINATOR):
        groups = access.groups_visible(actor)
    elif actor.has(access.Role.TEACHER):
        groups = access.groups_visible(actor.only_as(access.Role.TEACHER))
    else:
        return Group.objects.none()
    return groups.in_year(year).ordered()


def _create_form(actor, year, data=None) -> OverviewCreateForm | None:
    groups = _creatable_groups(actor, year)
    if actor.school is None or year is None or not groups.exists():
        return None
    periods = Period.objects.for_school(actor.school).filter(school_year=year)
    current = periods.on(actor.today).first()
    form = OverviewCreateForm(
        data,
        groups=groups,
        periods=periods.select_related("school_year"),
        action=reverse("groupplans:overview_create"),
        initial={"period": current},
    )
    return form


def overview_list(request: HttpRequest) -> HttpResponse:
    actor = access.actor_for(request)
    if not access.can_view_overviews(actor):
        raise Http404
    return _render_list(request, actor, _create_form(actor, SchoolYear.current(actor.today)))


def _render_list(request, actor, form, status=200) -> HttpResponse:
    overviews = access.overviews_visible(actor).select_related(
        "group", "period__school_year", "sent_by"
    )
    shown = request.GET.get("status", "")
    if shown not in OverviewStatus.values:
        shown = ""
    if shown:
        overviews = overviews.filter(status=shown)
    page = Paginator(overviews.ordered(), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "groupplans/overview_list.html",
        {
            "page": page,
            "form": form,
            "can_configure_signals": access.can_configure_signals(actor),
            "can_configure_plans": access.can_configure_plans(actor),
            "status": shown,
            "statuses": OverviewStatus.choices,
            "extra_query": f"status={shown}" if shown else "",
        },
        status=status,
    )


@require_POST
def overview_create(request: HttpRequest) -> HttpResponse:
    actor = access.actor_for(request)
    form = _create_form(actor, SchoolYear.current(actor.today), request.POST)
    if form is None:
        raise Http404
    if form.is_valid():
        group, period = form.cleaned_data["group"], form.cleaned_data["period"]
        if not access.can_create_overview(actor, group):
            raise Http404
        try:
            overview = actions.create_overview(group=group, period=period, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The overview has been started."))
            return redirect("groupplans:overview_detail", pk=overview.pk)
    return _render_list(request, actor, form, status=422)


def overview_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = access.actor_for(request)
    overview = access.get_overview_or_404(request, pk)
    if access.can_edit_overview(actor, overview):
        actions.add_missing_rows(overview, request.user)
    return _render_grid(request, actor, overview, _step(request))


def _render_grid(
    request, actor, overview, step, *, bound: RowForm | None = None, conflict=None, status=200
) -> HttpResponse:
    rows = grid.build(overview)
    access.note_pupils(request, [g.pupil for g in rows])
    can_edit = access.can_edit_overview(actor, overview)
    for item in rows:
        editable = can_edit and not item.has_left
        if bound is not None and bound.instance.pk == item.row.pk:
            item.form = bound
        else:
            item.form = RowForm(instance=item.row, step=step) if editable else None
        item.conflict = conflict if conflict and conflict.row.pk == item.row.pk else None
        item.cells = _cells(item, step)
    return render(
        request,
        "groupplans/overview_detail.html",
        {
            "overview": overview,
            "rows": rows,
            "step": step,
            "steps": {n: title for n, (title, _fields) in STEPS.items()},
            "need_aspects": NEED_ASPECTS,
            "can_edit": can_edit,
            "can_send": access.can_send_overview(actor, overview),
            "can_mark_discussed": access.can_mark_discussed(actor, overview),
            "plan": getattr(overview, "plan", None),
            "can_create_plan": access.can_create_plan(actor, overview),
            "signalled_count": sum(1 for g in rows if g.row.signalled),
            "export_links": [
                {"url": reverse(f"groupplans:overview_{kind}", args=[overview.pk]), "label": label}
                for kind, label in (("print", _("Print")), ("pdf", "PDF"), ("xlsx", "Excel"))
            ],
        },
        status=status,
    )


def _cells(item: grid.GridRow, step: int) -> list[dict]:
    """The cells of one row in one step: label, the editable field (or None), the saved value,
    and for step 1 the pupil-log entries of the cell's source."""
    log = {name: (entries, more) for name, _label, entries, more in item.sources()}
    cells = []
    for name in STEPS[step][1]:
        if step == 2:
            continue  # step 2 has its own layout
        entries, more = log.get(name, ([], 0))
        cells.append(
            {
                "name": name,
                "label": OverviewRow._meta.get_field(name).verbose_name,
                "field": (
                    item.form[name] if item.form is not None and name in item.form.fields else None
                ),
                "value": getattr(item.row, name),
                "entries": entries,
                "more": more,
                "results": name == "notes_tests",
            }
        )
    return cells


class Conflict:
    """The row as someone else saved it, beside what this person typed."""

    def __init__(self, current: OverviewRow, form: RowForm):
        self.row = current
        self.fields = []
        for name, field in form.fields.items():
            if name == "version":
                continue
            theirs, yours = getattr(current, name), form.data.get(form.add_prefix(name), "")
            if isinstance(field, BooleanField):
                theirs, yours = _("yes") if theirs else _("no"), _("yes") if yours else _("no")
            self.fields.append((field.label, theirs, yours))
        self.by = current.updated_by


def _editable_row_or_404(request, pk: int, row_pk: int) -> tuple[GroupOverview, OverviewRow]:
    """The overview and one of its rows, if the person may edit it; the pupil is noted."""
    overview = access.get_overview_or_404(request, pk)
    if not access.can_edit_overview(access.actor_for(request), overview):
        raise Http404
    try:
        row = overview.rows.select_related("pupil", "overview").get(pk=row_pk)
    except OverviewRow.DoesNotExist:
        raise Http404 from None
    access.note_pupils(request, [row.pupil])
    return overview, row


@require_POST
def row_save(request: HttpRequest, pk: int, row_pk: int) -> HttpResponse:
    overview, row = _editable_row_or_404(request, pk, row_pk)
    step = _step(request)
    form = RowForm(request.POST, instance=row, step=step)
    conflict, error = None, None
    if form.is_valid():
        try:
            row = actions.save_row(
                row=row,
                values=form.values(),
                seen_version=form.cleaned_data["version"],
                by=request.user,
            )
        except actions.StaleRow as stale:
            conflict = Conflict(stale.current, form)
            # From now on the form stands over the version the person has now been shown.
            form.data = form.data.copy()
            form.data[form.add_prefix("version")] = stale.current.version
        except ValidationError as problem:
            error = " ".join(problem.messages)
    else:
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    if request.htmx:
        return render(
            request,
            "groupplans/_row_saved.html",
            {
                "overview": overview,
                "row": row if conflict is None else conflict.row,
                "conflict": conflict,
                "error": error,
                "step": step,
            },
            status=200,
        )
    if conflict is None and error is None:
        messages.success(
            request, _("The row of %(pupil)s has been saved.") % {"pupil": row.pupil.full_name}
        )
        url = reverse("groupplans:overview_detail", kwargs={"pk": overview.pk})
        return redirect(f"{url}?stap={step}#row-{row.pk}")
    if error and conflict is None:
        messages.error(request, error)
    return _render_grid(
        request,
        access.actor_for(request),
        overview,
        step,
        bound=form,
        conflict=conflict,
        status=409 if conflict else 422,
    )


@require_POST
def suggestion_decide(request: HttpRequest, pk: int, row_pk: int) -> HttpResponse:
    overview, row = _editable_row_or_404(request, pk, row_pk)
    form = DecisionForm(request.POST)
    url = (
        reverse("groupplans:overview_detail", kwargs={"pk": overview.pk}) + f"?stap=2#row-{row.pk}"
    )
    if not form.is_valid():
        messages.error(request, _("This suggestion could not be decided; please try again."))
        return redirect(url)
    # The suggestion is looked up again, so only a suggestion the rules raise can be decided.
    suggestion = next(
        (s for s in grid.open_suggestions(overview, row) if s.key == form.cleaned_data["key"]),
        None,
    )
    if suggestion is None:
        messages.error(request, _("This suggestion has already been decided."))
        return redirect(url)
    try:
        actions.decide_suggestion(
            row=row,
            key=suggestion.key,
            suggestion=suggestion.reason,
            decision=form.cleaned_data["decision"],
            reason=form.cleaned_data["reason"],
            by=request.user,
        )
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
        return redirect(url)
    if form.cleaned_data["decision"] == SignalDecision.CONFIRMED:
        messages.success(
            request, _("%(pupil)s has been signalled.") % {"pupil": row.pupil.full_name}
        )
    else:
        messages.success(request, _("The suggestion has been dismissed."))
    return redirect(url)


def overview_send(request: HttpRequest, pk: int) -> HttpResponse:
    actor = access.actor_for(request)
    overview = access.get_overview_or_404(request, pk)
    if not access.can_send_overview(actor, overview):
        raise Http404
    action = reverse("groupplans:overview_send", kwargs={"pk": overview.pk})
    form = SendForm(request.POST or None, action=action, initial={"questions": overview.questions})
    if request.method == "POST" and form.is_valid():
        try:
            actions.send_overview(
                overview=overview, questions=form.cleaned_data["questions"], by=request.user
            )
        except ValidationError as problem:
            form.add_error(None, problem)
        else:
            messages.success(request, _("The overview has been sent to the care coordinator."))
            return redirect("groupplans:overview_detail", pk=overview.pk)
    return render(
        request,
        "groupplans/overview_send.html",
        {"overview": overview, "form": form},
        status=422 if form.is_bound else 200,
    )


@require_POST
def overview_discussed(request: HttpRequest, pk: int) -> HttpResponse:
    actor = access.actor_for(request)
    overview = access.get_overview_or_404(request, pk)
    if not access.can_mark_discussed(actor, overview):
        raise Http404
    try:
        actions.mark_discussed(overview=overview, by=request.user)
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
    else:
        messages.success(request, _("The overview has been marked as discussed."))
    return redirect("groupplans:overview_detail", pk=overview.pk)
