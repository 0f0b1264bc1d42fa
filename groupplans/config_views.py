"""The school's configuration of group plans, kept by the IB: the areas its plans cover (part
1 subject areas, part 2 work attitude) and its library of goals and approaches; and a
teacher using a library entry for a subgroup of their plan."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Case, Count, F, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from groupplans import library_actions, plan_actions
from groupplans.config_forms import ApplyTemplateForm, OfferTemplateForm, PlanAreaForm
from groupplans.models import (
    OFFER_FIELDS,
    OfferTemplate,
    PlanArea,
    PlanPart,
    Subgroup,
    SubgroupKind,
)
from hgw import access
from pupils.models import SubjectArea

PER_PAGE = 25

# Entries in the order of a plan: zorggroep, middengroep, plusgroep, ...; for every kind last.
_KIND_ORDER = Case(
    *[When(kind=kind, then=Value(n)) for n, kind in enumerate(SubgroupKind.values)],
    default=Value(len(SubgroupKind.values)),
)

# The library filter's value for the entries meant for every area.
EVERY_AREA = "alle"


def _configurer(request: HttpRequest) -> access.Actor:
    """The IB, at a school that has its areas: a school starts from the default ones (an area
    added first would otherwise be its only one)."""
    actor = access.actor_for(request)
    if not access.can_configure_plans(actor):
        raise Http404
    plan_actions.ensure_default_areas(actor.school)
    return actor


def _save(form, field: str, message: str) -> bool:
    """Save the form; two people saving the same name at once: the second is told so."""
    try:
        with transaction.atomic():
            form.save()
    except IntegrityError:
        form.add_error(field, message)
        return False
    return True


# Areas ---------------------------------------------------------------------------------------


def area_list(request: HttpRequest) -> HttpResponse:
    actor = _configurer(request)
    areas = (
        PlanArea.objects.for_school(actor.school).annotate(plan_count=Count("sections")).ordered()
    )
    subjects = dict(SubjectArea.choices)
    parts = [
        {
            "part": part,
            "areas": [
                {"area": area, "subjects": [subjects.get(s, s) for s in area.subject_list]}
                for area in areas
                if area.part == part
            ],
        }
        for part in PlanPart
    ]
    return render(request, "groupplans/area_list.html", {"parts": parts})


def area_create(request: HttpRequest) -> HttpResponse:
    actor = _configurer(request)
    last = PlanArea.objects.for_school(actor.school).order_by("-position").first()
    area = PlanArea(school=actor.school, part=PlanPart.SUBJECTS)
    area.position = (last.position + 1) if last else 1
    return _area_form(request, actor, area)


def area_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _configurer(request)
    area = get_object_or_404(PlanArea.objects.for_school(actor.school), pk=pk)
    return _area_form(request, actor, area)


def _area_form(request, actor, area: PlanArea) -> HttpResponse:
    url = (
        reverse("groupplans:area_edit", kwargs={"pk": area.pk})
        if area.pk
        else reverse("groupplans:area_create")
    )
    form = PlanAreaForm(request.POST or None, instance=area, school=actor.school, action=url)
    duplicate = _("The school already has an area with this name.")
    if request.method == "POST" and form.is_valid() and _save(form, "name", duplicate):
        messages.success(request, _("The area %(name)s has been saved.") % {"name": area.name})
        return redirect("groupplans:area_list")
    return render(
        request,
        "groupplans/area_form.html",
        {"area": area, "form": form, "current": form.current},
        status=422 if form.is_bound else 200,
    )


# The library ---------------------------------------------------------------------------------


def library_list(request: HttpRequest) -> HttpResponse:
    actor = _configurer(request)
    areas = list(PlanArea.objects.for_school(actor.school).ordered())
    entries = (
        OfferTemplate.objects.filter(school=actor.school)
        .select_related("area")
        .order_by(
            F("area__part").asc(nulls_last=True),
            F("area__position").asc(nulls_last=True),
            "area_id",
            _KIND_ORDER,
            "title",
        )
    )
    shown = request.GET.get("area", "")
    if shown == EVERY_AREA:
        entries = entries.filter(area__isnull=True)
    elif shown in {str(area.pk) for area in areas}:
        entries = entries.filter(area_id=int(shown))
    else:
        shown = ""
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "groupplans/library_list.html",
        {
            "page": page,
            "areas": areas,
            "area": shown,
            "every_area": EVERY_AREA,
            "extra_query": f"area={shown}" if shown else "",
        },
    )


def library_create(request: HttpRequest) -> HttpResponse:
    actor = _configurer(request)
    return _entry_form(request, actor, OfferTemplate(school=actor.school))


def library_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _configurer(request)
    entry = get_object_or_404(OfferTemplate.objects.filter(school=actor.school), pk=pk)
    return _entry_form(request, actor, entry)


def _entry_form(request, actor, entry: OfferTemplate) -> HttpResponse:
    url = (
        reverse("groupplans:library_edit", kwargs={"pk": entry.pk})
        if entry.pk
        else reverse("groupplans:library_create")
    )
    form = OfferTemplateForm(request.POST or None, instance=entry, school=actor.school, action=url)
    form.instance.updated_by = request.user
    duplicate = _("The library already has an entry with this title.")
    if request.method == "POST" and form.is_valid() and _save(form, "title", duplicate):
        messages.success(
            request, _("The library entry %(title)s has been saved.") % {"title": entry.title}
        )
        return redirect("groupplans:library_list")
    return render(
        request,
        "groupplans/library_form.html",
        {
            "entry": entry,
            "form": form,
            "current": form.current,
            "current_texts": _texts(form.current) if form.current else [],
        },
        status=422 if form.is_bound else 200,
    )


def _texts(entry: OfferTemplate) -> list[tuple[str, str]]:
    """The entry's texts with their labels, for the version someone else saved."""
    return [
        (OfferTemplate._meta.get_field(name).verbose_name, getattr(entry, name))
        for name in OFFER_FIELDS
    ]


def library_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks first; plans keep the texts they took from the entry."""
    actor = _configurer(request)
    entry = get_object_or_404(OfferTemplate.objects.filter(school=actor.school), pk=pk)
    if request.method == "POST":
        entry.delete()
        messages.success(
            request, _("The library entry %(title)s has been deleted.") % {"title": entry.title}
        )
        return redirect("groupplans:library_list")
    return render(request, "groupplans/library_delete.html", {"entry": entry})


# Using an entry in a plan --------------------------------------------------------------------


@require_POST
def subgroup_from_library(request: HttpRequest, pk: int, subgroup_pk: int) -> HttpResponse:
    """Copy a library entry's texts into a subgroup of the plan (pk: the plan)."""
    actor = access.actor_for(request)
    plan = access.get_plan_or_404(request, pk)
    if not access.can_edit_plan(actor, plan):
        raise Http404
    subgroup = get_object_or_404(
        Subgroup.objects.select_related("section__area"), pk=subgroup_pk, section__plan=plan
    )
    subgroup.section.plan = plan
    # The plan page shows one area at a time: back to the subgroup's.
    back = reverse("groupplans:plan_detail", kwargs={"pk": plan.pk})
    back += f"?gebied={subgroup.section_id}#subgroup-{subgroup.pk}"
    form = ApplyTemplateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an entry from the library."))
        return redirect(back)
    template = get_object_or_404(
        OfferTemplate.objects.filter(school_id=plan.group.school_id),
        pk=form.cleaned_data["template"],
    )
    try:
        library_actions.apply_template(
            subgroup=subgroup,
            template=template,
            seen_version=form.cleaned_data["version"],
            by=request.user,
        )
    except plan_actions.Stale:
        messages.error(
            request,
            _(
                "Someone else changed this subgroup in the meantime, so the library entry has "
                "not been used. Look at their version and choose the entry again."
            ),
        )
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
    else:
        messages.success(
            request,
            _("The texts of “%(title)s” are now in %(area)s, %(subgroup)s.")
            % {"title": template.title, "area": subgroup.section.area.name, "subgroup": subgroup},
        )
    return redirect(back)
