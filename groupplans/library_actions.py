"""The school's library of goals and approaches in use: which entries fit a subgroup, and
copying an entry's texts into a subgroup of a plan (over the version the person saw)."""

from django.core.exceptions import ValidationError
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext as _

from groupplans import plan_actions
from groupplans.models import OFFER_FIELDS, OfferTemplate, PlanArea, Subgroup
from schools.models import School


def _best_fit_first(entries: QuerySet[OfferTemplate]) -> QuerySet[OfferTemplate]:
    # Among the entries that fit, those made for this very area come before the general ones,
    # and those for this kind of subgroup before the ones for every kind.
    return entries.order_by(F("area_id").asc(nulls_last=True), "-kind", "title", "pk")


def entries_for(school: School, area: PlanArea | None, kind: str) -> QuerySet[OfferTemplate]:
    """The school's entries that fit a subgroup of `kind` in `area`: made for that area or for
    every area, and for that kind of subgroup or for every kind. Best fit first."""
    entries = OfferTemplate.objects.filter(school=school)
    entries = entries.filter(Q(area=area) | Q(area__isnull=True)) if area else entries
    return _best_fit_first(entries.filter(Q(kind=kind) | Q(kind="")))


def school_entries(school: School) -> list[OfferTemplate]:
    """Every entry of the school, in one query, for a page that picks entries for many
    subgroups at once (see `fitting`)."""
    return list(_best_fit_first(OfferTemplate.objects.filter(school=school)))


def fitting(entries: list[OfferTemplate], *, area_id: int, kind: str) -> list[OfferTemplate]:
    """`entries_for` without a query: the entries (from `school_entries`) that fit a subgroup
    of `kind` in the area `area_id`, best fit first."""
    fit = [e for e in entries if e.area_id in (area_id, None) and e.kind in (kind, "")]
    return sorted(fit, key=lambda e: (e.area_id is None, e.kind == ""))


def offer_values(template: OfferTemplate) -> dict[str, str]:
    """The texts an entry gives a subgroup: only those it has (an empty text in the entry
    leaves the subgroup's own text alone)."""
    return {
        name: getattr(template, name) for name in OFFER_FIELDS if getattr(template, name).strip()
    }


def apply_template(
    *, subgroup: Subgroup, template: OfferTemplate, seen_version: int, by
) -> Subgroup:
    """Copy the entry's texts into the subgroup, and date a goal without a date at the end
    of the period. Raises plan_actions.Stale when the subgroup changed since the person saw
    version `seen_version`, and ValidationError when the plan has been evaluated or the
    entry is another school's."""
    plan = subgroup.section.plan
    if template.school_id != plan.group.school_id:
        raise ValidationError(_("This library entry belongs to another school."))
    values = offer_values(template)
    if subgroup.goal_date is None:
        values["goal_date"] = plan.period.end_date
    return plan_actions.save_versioned(
        obj=subgroup, values=values, seen_version=seen_version, by=by
    )
