"""Which subgroup the overview suggests for a pupil in one subject area (HGW step 4).

A plain function over what the overview's grid already loaded (`grid.GridRow`): the pupil's
recent results on the tests of the area, the suggestions those results raise (the school's
signal rules), and the signal with its reason. Every suggestion carries its reason in words.
"""

from dataclasses import dataclass

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from groupplans.grid import GridRow
from groupplans.models import PlanArea, SubgroupKind
from pupils.models import LevelScale


@dataclass(frozen=True)
class PlacementSuggestion:
    kind: str
    reason: str

    @property
    def label(self) -> str:
        return capfirst(str(SubgroupKind(self.kind).label))


def suggest_placement(area: PlanArea, item: GridRow) -> PlacementSuggestion:
    """Intensive when a result of the area raises a signal (or the pupil is signalled for
    one of its tests); extension when every latest level of the area is the scale's best;
    core otherwise, also when the area has no results to go on."""
    subjects = set(area.subject_list)
    series = [s for s in item.results if s.instrument.subject in subjects]
    signalled = [s for s in item.suggestions if s.instrument.subject in subjects]
    decided = [d.suggestion for d in item.decisions if d.decision == "confirmed"]
    names = {s.instrument.name for s in series}
    if signalled:
        return PlacementSuggestion(SubgroupKind.INTENSIVE, signalled[0].reason)
    reasons = [line for line in item.row.signal_reason.splitlines() if line.strip()] + decided
    for line in reasons:
        if any(name and name in line for name in names):
            return PlacementSuggestion(SubgroupKind.INTENSIVE, line.strip())
    # AVI levels follow the grade, so only I-V and A-E levels say "ahead" or "on track".
    levelled = [
        s
        for s in series
        if s.instrument.level_scale in (LevelScale.ROMAN, LevelScale.LETTERS)
        and s.latest.result.level
    ]
    if levelled:
        latest = [(s.instrument, s.latest.result.level) for s in levelled]
        shown = ", ".join(f"{instrument.name} {level}" for instrument, level in latest)
        if all(i.level_rank(level) == len(i.levels) - 1 for i, level in latest):
            return PlacementSuggestion(
                SubgroupKind.EXTENSION, _("highest level: %(levels)s") % {"levels": shown}
            )
        return PlacementSuggestion(SubgroupKind.CORE, _("level %(levels)s") % {"levels": shown})
    if series:
        return PlacementSuggestion(SubgroupKind.CORE, _("no signal in the results"))
    return PlacementSuggestion(SubgroupKind.CORE, _("no results in this area"))
