"""Signal suggestions from results, on objects in memory (no database): worked examples, and
properties that hold for every scale and any sequence of results."""

import datetime
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from groupplans.signals import Rule, default_rule, suggest
from pupils.models import Instrument, LevelScale, ScoreKind
from pupils.models import TestResult as Result
from pupils.results import results_by_instrument

# Written out here rather than taken from the models, so the direction of each scale is
# checked, not copied: best first.
BEST_FIRST: dict[str, list[str]] = {
    LevelScale.ROMAN: ["I", "II", "III", "IV", "V"],
    LevelScale.LETTERS: ["A", "B", "C", "D", "E"],
    LevelScale.AVI: [
        "Plus",
        "E7",
        "M7",
        "E6",
        "M6",
        "E5",
        "M5",
        "E4",
        "M4",
        "E3",
        "M3",
        "Start",
    ],
    LevelScale.NONE: [],
}
SCALES_WITH_LEVELS = [scale for scale, levels in BEST_FIRST.items() if levels]

# In memory, so no example database is written into the working tree; the first example
# loads the translations, so no deadline.
quick = settings(database=None, deadline=None, max_examples=200)

START = datetime.date(2024, 9, 2)


def _instrument(scale=LevelScale.ROMAN, *, higher_is_better=True, kind=None, pk=1) -> Instrument:
    if kind is None:
        kind = ScoreKind.LEVEL_ONLY if scale == LevelScale.AVI else ScoreKind.ABILITY_SCORE
    return Instrument(
        pk=pk,
        name=f"Toets {pk}",
        subject="maths",
        score_kind=kind,
        level_scale=scale,
        higher_score_is_better=higher_is_better,
    )


def _results(instrument, levels=(), scores=(), first_pk=1) -> list[Result]:
    """One result a month, oldest first; levels and scores paired up (missing: none)."""
    count = max(len(levels), len(scores))
    levels = list(levels) + [""] * (count - len(levels))
    scores = list(scores) + [None] * (count - len(scores))
    return [
        Result(
            pk=first_pk + n,
            instrument=instrument,
            date_taken=START + datetime.timedelta(days=30 * n),
            level=level,
            score=score,
        )
        for n, (level, score) in enumerate(zip(levels, scores, strict=True))
    ]


def _suggest(results, rule: Rule | None = None):
    instrument = results[0].instrument
    return suggest(results_by_instrument(results), {instrument.pk: rule} if rule else {})


def _kinds(suggestions) -> set[str]:
    return {s.key.split(":")[1] for s in suggestions}


def _rule(levels=(), drop=0, growth=None) -> Rule:
    return Rule(signal_levels=frozenset(levels), level_drop=drop, min_growth=growth)


# Worked examples -----------------------------------------------------------------------------


def test_the_default_rule_per_scale():
    assert default_rule(_instrument(LevelScale.ROMAN)).signal_levels == {"IV", "V"}
    assert default_rule(_instrument(LevelScale.LETTERS)).signal_levels == {"D", "E"}
    assert default_rule(_instrument(LevelScale.AVI)).signal_levels == frozenset()
    assert default_rule(_instrument(LevelScale.ROMAN)).level_drop == 1
    assert default_rule(_instrument(LevelScale.ROMAN)).min_growth == Decimal(0)
    words = _instrument(LevelScale.ROMAN, kind=ScoreKind.WORDS_PER_MINUTE)
    assert default_rule(words).min_growth is None
    assert default_rule(words).is_default


def test_a_fall_to_level_v_raises_level_drop_and_growth_by_default():
    results = _results(_instrument(), ["III", "V"], [Decimal(60), Decimal(55)])
    suggestions = _suggest(results)
    assert [s.key for s in suggestions] == ["2:level", "2:drop", "2:growth"]
    assert all(s.instrument.pk == 1 for s in suggestions)
    level, drop, growth = (s.reason for s in suggestions)
    assert "Toets 1" in level and "V" in level
    assert "III" in drop and "V" in drop
    assert "-5" in growth and "0" in growth


def test_a_good_latest_result_raises_nothing_whatever_came_before():
    results = _results(_instrument(), ["V", "V", "I"], [Decimal(20), Decimal(21), Decimal(80)])
    assert _suggest(results) == []


def test_only_the_latest_result_counts():
    results = _results(_instrument(), ["I", "V", "II"])
    assert _suggest(results) == []


def test_on_letters_e_is_worst():
    results = _results(_instrument(LevelScale.LETTERS), ["B", "E"])
    assert _kinds(_suggest(results)) == {"level", "drop"}
    better = _results(_instrument(LevelScale.LETTERS), ["E", "B"])
    assert _suggest(better) == []


def test_on_avi_a_higher_level_is_better():
    avi = _instrument(LevelScale.AVI)
    assert _kinds(_suggest(_results(avi, ["E4", "M4"]))) == {"drop"}
    assert _suggest(_results(avi, ["M4", "E4"])) == []


def test_a_lower_score_that_is_better_is_growth():
    lower_better = _instrument(LevelScale.NONE, kind=ScoreKind.MARK, higher_is_better=False)
    rule = _rule(growth=Decimal(0))
    assert _suggest(_results(lower_better, scores=[Decimal(10), Decimal(8)]), rule) == []
    fell_behind = _suggest(_results(lower_better, scores=[Decimal(8), Decimal(10)]), rule)
    assert _kinds(fell_behind) == {"growth"}
    assert "-2" in fell_behind[0].reason


def test_a_growth_threshold_above_zero():
    rule = _rule(growth=Decimal("2.5"))
    instrument = _instrument()
    assert _kinds(_suggest(_results(instrument, scores=[Decimal(50), Decimal(52)]), rule)) == {
        "growth"
    }
    assert _suggest(_results(instrument, scores=[Decimal(50), Decimal("52.5")]), rule) == []


def test_a_rule_switched_off_raises_nothing():
    results = _results(_instrument(), ["I", "V"], [Decimal(80), Decimal(20)])
    assert _suggest(results, _rule()) == []


def test_each_instrument_follows_its_own_rule():
    maths, spelling = _instrument(pk=1), _instrument(pk=2)
    results = _results(maths, ["V"]) + _results(spelling, ["V"], first_pk=10)
    suggestions = suggest(results_by_instrument(results), {1: _rule(levels={"IV"})})
    assert [s.key for s in suggestions] == ["10:level"]


# Properties ----------------------------------------------------------------------------------


@st.composite
def series_on_a_scale(draw):
    """An instrument with levels, a sequence of its results (some without a level) and a
    rule; the rule's levels are any subset of the scale, its drop 0 (off) to 5."""
    scale = draw(st.sampled_from(SCALES_WITH_LEVELS))
    levels = BEST_FIRST[scale]
    instrument = _instrument(scale, kind=ScoreKind.ABILITY_SCORE)
    taken = draw(st.lists(st.sampled_from([*levels, ""]), min_size=1, max_size=8))
    rule = _rule(
        levels=draw(st.sets(st.sampled_from(levels))), drop=draw(st.integers(0, 5)), growth=None
    )
    return instrument, _results(instrument, taken), rule


@quick
@given(series_on_a_scale())
def test_a_drop_is_suggested_exactly_when_the_latest_level_fell_that_far(case):
    instrument, results, rule = case
    best_first = BEST_FIRST[instrument.level_scale]
    drop = _suggest(results, rule)
    expected = False
    if rule.level_drop and len(results) >= 2:
        before, now = results[-2].level, results[-1].level
        if before and now:
            # Further from the best is worse, whatever the scale.
            expected = best_first.index(now) - best_first.index(before) >= rule.level_drop
    assert ("drop" in _kinds(drop)) == expected


@quick
@given(series_on_a_scale())
def test_a_level_is_suggested_exactly_when_the_latest_level_is_in_the_rule(case):
    _instrument, results, rule = case
    latest = results[-1].level
    assert ("level" in _kinds(_suggest(results, rule))) == (latest in rule.signal_levels)


@st.composite
def scored_series(draw):
    higher_is_better = draw(st.booleans())
    instrument = _instrument(
        LevelScale.NONE, kind=ScoreKind.MARK, higher_is_better=higher_is_better
    )
    score = st.decimals(min_value=-500, max_value=500, places=2, allow_nan=False)
    scores = draw(st.lists(st.one_of(st.none(), score), min_size=1, max_size=6))
    growth = draw(st.one_of(st.none(), st.decimals(min_value=-50, max_value=50, places=2)))
    return instrument, _results(instrument, scores=scores), _rule(growth=growth)


@quick
@given(scored_series())
def test_growth_is_judged_in_the_direction_of_the_instrument(case):
    instrument, results, rule = case
    expected = False
    if rule.min_growth is not None and len(results) >= 2:
        before, now = results[-2].score, results[-1].score
        if before is not None and now is not None:
            growth = now - before if instrument.higher_score_is_better else before - now
            expected = growth < rule.min_growth
    assert ("growth" in _kinds(_suggest(results, rule))) == expected


@st.composite
def any_single_result(draw):
    scale = draw(st.sampled_from(list(BEST_FIRST)))
    instrument = _instrument(
        scale, kind=ScoreKind.ABILITY_SCORE, higher_is_better=draw(st.booleans())
    )
    level = draw(st.sampled_from([*BEST_FIRST[scale], ""]))
    score = draw(st.one_of(st.none(), st.decimals(min_value=0, max_value=500, places=2)))
    rule = _rule(
        levels=draw(st.sets(st.sampled_from(BEST_FIRST[scale]))) if BEST_FIRST[scale] else (),
        drop=draw(st.integers(0, 5)),
        growth=draw(st.one_of(st.none(), st.decimals(min_value=-50, max_value=50, places=2))),
    )
    return _results(instrument, [level], [score]), rule


@quick
@given(any_single_result(), st.booleans())
def test_a_single_result_raises_at_most_its_level(case, use_default):
    results, rule = case
    assert _kinds(_suggest(results, None if use_default else rule)) <= {"level"}


@quick
@given(st.lists(series_on_a_scale(), min_size=1, max_size=4), st.data())
def test_keys_are_unique_and_name_the_latest_result(cases, data):
    """Several instruments of one pupil at once, under their own rules or the defaults."""
    results, rules, first_pk = [], {}, 1
    for pk, (case_instrument, case_results, rule) in enumerate(cases, start=1):
        instrument = _instrument(case_instrument.level_scale, pk=pk)
        scores = data.draw(
            st.lists(
                st.one_of(st.none(), st.decimals(min_value=0, max_value=99, places=1)),
                min_size=len(case_results),
                max_size=len(case_results),
            )
        )
        levels = [r.level for r in case_results]
        results += _results(instrument, levels, scores, first_pk=first_pk)
        first_pk += len(case_results)
        if data.draw(st.booleans()):
            rules[pk] = _rule(rule.signal_levels, rule.level_drop, Decimal(1))
    series = results_by_instrument(results)
    suggestions = suggest(series, rules)
    keys = [s.key for s in suggestions]
    assert len(keys) == len(set(keys))
    latest = {item.instrument.pk: item.latest.result.pk for item in series}
    for s in suggestions:
        result_pk, kind = s.key.split(":")
        assert int(result_pk) == latest[s.instrument.pk]
        assert kind in {"level", "drop", "growth"}
        assert len(s.key) <= 60  # fits SuggestionDecision.key
