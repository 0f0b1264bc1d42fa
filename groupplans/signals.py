"""Signal suggestions (HGW step 2): which results suggest that a pupil needs extra support.

Plain functions over results already loaded; each suggestion carries its reason in words
and a key (the result and the rule) so the teacher's decision on it is remembered. Levels
are compared by rank, so every scale's direction is respected (I is best on I-V, A on A-E,
higher AVI levels are better); score growth is turned round for instruments on which a
lower score is better.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _

from groupplans.models import DEFAULT_MIN_GROWTH, SignalRule
from pupils.models import Instrument, LevelScale, ScoreKind
from pupils.results import InstrumentResults
from schools.models import School


def number(value: Decimal) -> str:
    """A score as a teacher writes it: "-3" rather than "-3,00", "2,5" rather than "2,50"."""
    value = value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()
    return formats.number_format(value, use_l10n=True)


@dataclass(frozen=True)
class Rule:
    signal_levels: frozenset[str]
    level_drop: int  # 0: off
    min_growth: Decimal | None  # None: off
    is_default: bool = False


def default_rule(instrument: Instrument) -> Rule:
    """Levels IV/V or D/E, a drop of one level or more, ability scores that fell."""
    worst_two = (
        frozenset(instrument.levels[:2])
        if instrument.level_scale in (LevelScale.ROMAN, LevelScale.LETTERS)
        else frozenset()
    )
    growth = DEFAULT_MIN_GROWTH if instrument.score_kind == ScoreKind.ABILITY_SCORE else None
    return Rule(signal_levels=worst_two, level_drop=1, min_growth=growth, is_default=True)


def rule_from(row: SignalRule) -> Rule:
    levels = frozenset(level.strip() for level in row.signal_levels.split(",") if level.strip())
    return Rule(signal_levels=levels, level_drop=row.level_drop, min_growth=row.min_growth)


def rules_for(school: School) -> dict[int, Rule]:
    """The school's own rules by instrument id (one query); other instruments use defaults."""
    return {row.instrument_id: rule_from(row) for row in SignalRule.objects.filter(school=school)}


@dataclass(frozen=True)
class Suggestion:
    key: str
    instrument: Instrument
    reason: str


def suggest(series: Iterable[InstrumentResults], rules: dict[int, Rule]) -> list[Suggestion]:
    """The suggestions raised by the latest result on each instrument."""
    out: list[Suggestion] = []
    for results in series:
        instrument = results.instrument
        rule = rules.get(instrument.pk) or default_rule(instrument)
        latest = results.latest
        result = latest.result
        names = {
            "instrument": instrument.name,
            "date": formats.date_format(result.date_taken, "SHORT_DATE_FORMAT"),
        }
        if result.level and result.level in rule.signal_levels:
            reason = _("%(instrument)s: level %(level)s (%(date)s)") % {
                **names,
                "level": result.level,
            }
            out.append(Suggestion(f"{result.pk}:level", instrument, reason))
        change = latest.level_change
        if rule.level_drop and change is not None and change <= -rule.level_drop:
            previous = results.rows[-2].result
            reason = _("%(instrument)s: from level %(before)s to %(level)s (%(date)s)") % {
                **names,
                "before": previous.level,
                "level": result.level,
            }
            out.append(Suggestion(f"{result.pk}:drop", instrument, reason))
        if rule.min_growth is not None and latest.score_change is not None:
            growth = latest.score_change
            if not instrument.higher_score_is_better:
                growth = -growth
            if growth < rule.min_growth:
                reason = _(
                    "%(instrument)s: growth %(growth)s since the previous result, below "
                    "%(threshold)s (%(date)s)"
                ) % {
                    **names,
                    "growth": number(growth),
                    "threshold": number(rule.min_growth),
                }
                out.append(Suggestion(f"{result.pk}:growth", instrument, reason))
    return out
