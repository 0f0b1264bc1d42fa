"""A pupil's evaluation in words: what flows from a plan into the next overview's
specific-needs column and into the pupil's history."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from groupplans.models import Outcome, Placement


def pupil_summary(placements: list[Placement]) -> str:
    """One line per area: "Rekenen, zorggroep: deels behaald. Hielp: ... Belemmerde: ..."."""
    lines = []
    for placement in placements:
        subgroup = placement.subgroup
        outcome = placement.outcome or subgroup.outcome
        kind = _("individual") if subgroup.is_individual else subgroup.title.lower()
        line = f"{placement.section.area.name}, {kind}"
        if outcome:
            line += ": " + str(Outcome(outcome).label)
        line += "."
        helped = placement.helped or subgroup.helped
        hindered = placement.hindered or subgroup.hindered
        if helped:
            line += " " + _("Helped: %(text)s") % {"text": helped.strip()}
        if hindered:
            line += " " + _("Hindered: %(text)s") % {"text": hindered.strip()}
        lines.append(line)
    return "\n".join(lines)


def summaries_for_plan(plan_id: int, pupil_ids=None) -> dict[int, str]:
    """Per pupil, the summary of an evaluated plan (one query)."""
    placements = (
        Placement.objects.filter(section__plan_id=plan_id)
        .select_related("subgroup", "section__area")
        .order_by("pupil_id", "section__position", "section__pk")
    )
    if pupil_ids is not None:
        placements = placements.filter(pupil_id__in=pupil_ids)
    by_pupil: dict[int, list[Placement]] = {}
    for placement in placements:
        by_pupil.setdefault(placement.pupil_id, []).append(placement)
    # The summary becomes text in the school's records: in the school's language.
    with translation.override(settings.LANGUAGE_CODE):
        return {pupil_id: pupil_summary(items) for pupil_id, items in by_pupil.items()}
