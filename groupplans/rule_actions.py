"""Writes of a school's signal rules: save the rule for one instrument, or go back to the
default. Both are made over the rule the person saw (its fingerprint), so a change someone
else made in the meantime is never overwritten unseen."""

from decimal import Decimal
from types import SimpleNamespace

from django.db import IntegrityError, transaction

from audit.history import Stale
from groupplans.models import SignalRule
from groupplans.signals import Rule, default_rule, rule_from
from pupils.forms import record_state
from pupils.models import Instrument, LevelScale
from schools.models import School


def written_order(instrument: Instrument) -> list[str]:
    """The scale's levels as people write them: I to V and A to E best first, AVI from Start."""
    if instrument.level_scale in (LevelScale.ROMAN, LevelScale.LETTERS):
        return instrument.levels[::-1]
    return list(instrument.levels)


def rule_in_effect(school: School, instrument: Instrument) -> tuple[Rule, SignalRule | None]:
    """The rule the school's suggestions follow for this instrument, and its saved row (None
    while the default applies)."""
    row = (
        SignalRule.objects.select_related("updated_by")
        .filter(school=school, instrument=instrument)
        .first()
    )
    return (rule_from(row) if row else default_rule(instrument)), row


def rule_state(instrument: Instrument, rule: Rule) -> str:
    """A fingerprint of what the rule does (not of how it is stored), the same in every
    process: levels in the scale's order, the threshold with two decimals."""
    seen = SimpleNamespace(
        levels=",".join(level for level in instrument.levels if level in rule.signal_levels),
        drop=rule.level_drop,
        growth="" if rule.min_growth is None else f"{rule.min_growth:.2f}",
    )
    return record_state(seen, ["levels", "drop", "growth"])


class StaleRule(Stale):
    """The rule changed since the person saw it: `current` holds now, saved as `row` (None
    when the default applies again)."""

    def __init__(self, current: Rule, row: SignalRule | None):
        super().__init__(current)
        self.row = row


def _locked_row(school: School, instrument: Instrument) -> SignalRule | None:
    # No select_related: PostgreSQL refuses FOR UPDATE on the nullable side of an outer join.
    return (
        SignalRule.objects.select_for_update().filter(school=school, instrument=instrument).first()
    )


def _refuse_if_stale(instrument: Instrument, row: SignalRule | None, seen_state: str) -> None:
    current = rule_from(row) if row else default_rule(instrument)
    if rule_state(instrument, current) != seen_state:
        raise StaleRule(current, row)


@transaction.atomic
def save_signal_rule(
    *,
    school: School,
    instrument: Instrument,
    signal_levels: list[str],
    level_drop: int,
    min_growth: Decimal | None,
    seen_state: str,
    by,
) -> SignalRule:
    """Create or update the school's rule for the instrument. Raises StaleRule when the rule
    in effect is no longer the one the person saw."""
    row = _locked_row(school, instrument)
    _refuse_if_stale(instrument, row, seen_state)
    values = {
        "signal_levels": ",".join(
            level for level in written_order(instrument) if level in set(signal_levels)
        ),
        "level_drop": level_drop,
        "min_growth": min_growth,
        "updated_by": by,
    }
    if row is None:
        try:
            # Two first saves at once: the second finds the first's row and is refused.
            with transaction.atomic():
                return SignalRule.objects.create(school=school, instrument=instrument, **values)
        except IntegrityError:
            row = _locked_row(school, instrument)
            raise StaleRule(rule_from(row), row) from None
    for name, value in values.items():
        setattr(row, name, value)
    row.save()
    return row


@transaction.atomic
def reset_signal_rule(*, school: School, instrument: Instrument, seen_state: str) -> bool:
    """Delete the school's rule, so the default applies again; False when it already did.
    Raises StaleRule when the saved rule is not the one the person saw."""
    row = _locked_row(school, instrument)
    if row is None:
        return False
    _refuse_if_stale(instrument, row, seen_state)
    row.delete()
    return True
