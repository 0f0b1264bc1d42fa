"""The school's signal rules: the IB sees, changes and resets them per test; nobody else sees
them; a saved rule changes the suggestions in step 2 of the group overview."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from groupplans.models import SignalRule
from pupils.models import Instrument
from tests.conftest import force_login
from tests.groupplans.conftest import add_result

LIST = reverse("groupplans:rule_list")


def _edit_url(instrument) -> str:
    return reverse("groupplans:rule_edit", kwargs={"instrument_pk": instrument.pk})


def _seen(response) -> str:
    """The fingerprint the form carries (of the rule the person was shown)."""
    form = response.context["form"]
    return form.data.get("seen_state") if form.is_bound else form.initial["seen_state"]


def _post(client, instrument, seen: str, **values):
    data = {"signal_levels": ["IV", "V"], "level_drop": "1", "min_growth": "0"}
    data |= values
    return client.post(_edit_url(instrument), data | {"seen_state": seen})


def _own_instrument(school, **fields) -> Instrument:
    values = {
        "name": "Eigen rekentoets",
        "subject": "maths",
        "score_kind": "mark",
        "level_scale": "none",
    }
    return Instrument.objects.create(school=school, **(values | fields))


def _ib_tab(world) -> Client:
    """The IB in a browser tab of their own."""
    client = Client()
    force_login(client, world.users["care_coordinator"])
    return client


# The list ------------------------------------------------------------------------------------


def test_the_ib_sees_every_test_of_the_school_with_its_rule(world, maths, client_for):
    own = _own_instrument(world.school)
    theirs = _own_instrument(world.other_school, name="Toets van Het Kompas")
    response = client_for("care_coordinator").get(LIST)
    assert response.status_code == 200
    rows = {row["instrument"]: row for row in response.context["rows"]}
    assert set(rows) == set(Instrument.objects.for_school(world.school))
    assert own in rows and theirs not in rows
    assert rows[maths]["rule"].is_default
    body = response.content.decode()
    assert escape("; ".join(rows[maths]["words"])) in body
    assert _edit_url(maths) in body and _edit_url(theirs) not in body


def test_the_list_tells_a_saved_rule_from_the_default(world, maths, client_for):
    SignalRule.objects.create(school=world.school, instrument=maths, signal_levels="V")
    rows = client_for("care_coordinator").get(LIST).context["rows"]
    maths_row = next(row for row in rows if row["instrument"] == maths)
    avi_row = next(row for row in rows if row["instrument"].name == "AVI")
    assert not maths_row["rule"].is_default and avi_row["rule"].is_default
    assert any("V" in part and "IV" not in part for part in maths_row["words"])


def test_another_schools_rule_does_not_change_ours(world, maths, client_for):
    SignalRule.objects.create(school=world.other_school, instrument=maths, signal_levels="V")
    rows = client_for("care_coordinator").get(LIST).context["rows"]
    assert next(row for row in rows if row["instrument"] == maths)["rule"].is_default


# Editing -----------------------------------------------------------------------------------


def test_the_form_starts_from_the_rule_in_effect(world, maths, client_for):
    form = client_for("care_coordinator").get(_edit_url(maths)).context["form"]
    assert form.initial["signal_levels"] == ["IV", "V"]
    assert form.initial["level_drop"] == 1
    assert form.initial["min_growth"] == Decimal(0)
    assert [value for value, _label in form.fields["signal_levels"].choices] == [
        "I",
        "II",
        "III",
        "IV",
        "V",
    ]


def test_the_ib_saves_a_rule(world, maths, client_for):
    client = client_for("care_coordinator")
    seen = _seen(client.get(_edit_url(maths)))
    response = _post(
        client, maths, seen, signal_levels=["V", "III"], level_drop="2", min_growth="1,5"
    )
    assert response.status_code == 302 and response["Location"] == LIST
    rule = SignalRule.objects.get(school=world.school, instrument=maths)
    # Stored as the scale writes them, whatever order the boxes were sent in.
    assert rule.signal_levels == "III,V"
    assert (rule.level_drop, rule.min_growth) == (2, Decimal("1.50"))
    assert rule.updated_by == world.users["care_coordinator"]

    form = client.get(_edit_url(maths)).context["form"]
    assert form.initial["signal_levels"] == ["III", "V"]
    assert form.initial["min_growth"] == Decimal("1.5")


def test_the_ib_switches_a_rule_off(world, maths, client_for):
    client = client_for("care_coordinator")
    seen = _seen(client.get(_edit_url(maths)))
    response = _post(client, maths, seen, signal_levels=[], level_drop="0", min_growth="")
    assert response.status_code == 302
    rule = SignalRule.objects.get(school=world.school, instrument=maths)
    assert (rule.signal_levels, rule.level_drop, rule.min_growth) == ("", 0, None)


def test_the_ib_goes_back_to_the_default(world, maths, client_for):
    SignalRule.objects.create(school=world.school, instrument=maths, signal_levels="V")
    client = client_for("care_coordinator")
    page = client.get(_edit_url(maths))
    assert 'name="restore_default"' in page.content.decode()
    response = client.post(
        _edit_url(maths), {"restore_default": "x", "seen_state": _seen(page), "level_drop": "x"}
    )
    assert response.status_code == 302
    assert not SignalRule.objects.filter(school=world.school, instrument=maths).exists()


def test_the_default_has_no_reset_button_and_resetting_it_changes_nothing(world, maths, client_for):
    client = client_for("care_coordinator")
    page = client.get(_edit_url(maths))
    assert 'name="restore_default"' not in page.content.decode()
    response = client.post(_edit_url(maths), {"restore_default": "x", "seen_state": ""})
    assert response.status_code == 302
    assert not SignalRule.objects.exists()


def test_the_form_asks_only_what_the_test_can_signal_on(world, client_for):
    client = client_for("care_coordinator")
    avi = Instrument.objects.get(name="AVI")  # levels only
    fields = client.get(_edit_url(avi)).context["form"].fields
    assert set(fields) == {"signal_levels", "level_drop", "seen_state"}
    assert fields["level_drop"].max_value == 5  # twelve levels: the largest drop allowed
    own = _own_instrument(world.school)  # a mark, no levels
    assert set(client.get(_edit_url(own)).context["form"].fields) == {"min_growth", "seen_state"}
    seen = _seen(client.get(_edit_url(own)))
    assert (
        client.post(_edit_url(own), {"min_growth": "-0,5", "seen_state": seen}).status_code == 302
    )
    rule = SignalRule.objects.get(instrument=own)
    assert (rule.signal_levels, rule.min_growth) == ("", Decimal("-0.50"))


@pytest.mark.parametrize(
    ("field", "typed"),
    [
        ("level_drop", "9"),  # more than the scale has
        ("level_drop", "-1"),
        ("level_drop", "een"),
        ("min_growth", "1,5x"),
        ("min_growth", "1,555"),
        ("signal_levels", "VI"),
    ],
)
def test_bad_input_is_refused_and_shown_again_with_a_message(
    world, maths, client_for, field, typed
):
    client = client_for("care_coordinator")
    seen = _seen(client.get(_edit_url(maths)))
    response = _post(client, maths, seen, **{field: typed})
    assert response.status_code == 200
    assert not SignalRule.objects.exists()
    form = response.context["form"]
    assert form.errors[field]
    body = response.content.decode()
    assert escape(form.errors[field][0]) in body
    if field != "signal_levels":
        assert f'value="{typed}"' in body  # what was typed, not the saved rule


def test_a_drop_larger_than_the_scale_allows_names_the_limit(world, maths, client_for):
    client = client_for("care_coordinator")
    response = _post(client, maths, _seen(client.get(_edit_url(maths))), level_drop="5")
    assert "4" in response.context["form"].errors["level_drop"][0]  # I to V: four at most


# Two tabs ----------------------------------------------------------------------------------


def test_a_stale_save_is_refused_and_shows_both_versions(world, maths):
    mine, theirs = _ib_tab(world), _ib_tab(world)
    my_seen = _seen(mine.get(_edit_url(maths)))
    their_seen = _seen(theirs.get(_edit_url(maths)))
    assert _post(theirs, maths, their_seen, min_growth="1,5").status_code == 302

    stale = _post(mine, maths, my_seen, min_growth="2,5", level_drop="3")
    assert stale.status_code == 200
    assert SignalRule.objects.get(instrument=maths).min_growth == Decimal("1.50")
    body = stale.content.decode()
    assert 'id="current-heading"' in body
    assert "1,5" in body.split('id="current-heading"')[1]  # their version
    assert 'value="2,5"' in body and 'value="3"' in body  # mine, still in the form
    assert stale.context["conflict"]["row"].updated_by == world.users["care_coordinator"]

    # Having seen theirs, I may keep mine.
    again = _post(mine, maths, _seen(stale), min_growth="2,5", level_drop="3")
    assert again.status_code == 302
    rule = SignalRule.objects.get(instrument=maths)
    assert (rule.min_growth, rule.level_drop) == (Decimal("2.50"), 3)


def test_a_save_over_a_reset_is_refused(world, maths):
    SignalRule.objects.create(school=world.school, instrument=maths, signal_levels="V")
    mine, theirs = _ib_tab(world), _ib_tab(world)
    my_seen = _seen(mine.get(_edit_url(maths)))
    their_seen = _seen(theirs.get(_edit_url(maths)))
    reset = theirs.post(_edit_url(maths), {"restore_default": "x", "seen_state": their_seen})
    assert reset.status_code == 302

    stale = _post(mine, maths, my_seen, signal_levels=["III"])
    assert stale.status_code == 200
    assert stale.context["conflict"]["is_default"]
    assert not SignalRule.objects.exists()


def test_a_reset_over_someone_elses_change_is_refused(world, maths):
    SignalRule.objects.create(school=world.school, instrument=maths, signal_levels="V")
    mine, theirs = _ib_tab(world), _ib_tab(world)
    my_seen = _seen(mine.get(_edit_url(maths)))
    assert (
        _post(theirs, maths, _seen(theirs.get(_edit_url(maths))), level_drop="2").status_code == 302
    )

    stale = mine.post(_edit_url(maths), {"restore_default": "x", "seen_state": my_seen})
    assert stale.status_code == 200
    assert SignalRule.objects.get(instrument=maths).level_drop == 2


def test_a_save_without_the_fingerprint_is_refused(world, maths, client_for):
    response = client_for("care_coordinator").post(
        _edit_url(maths), {"signal_levels": ["V"], "level_drop": "1"}
    )
    assert response.status_code == 200
    assert not SignalRule.objects.exists()


# Who -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona", ["teacher", "director", "school_admin", "care_team_member", "board"]
)
def test_others_get_404_and_change_nothing(world, maths, client_for, persona):
    client = client_for(persona)
    assert client.get(LIST).status_code == 404
    assert client.get(_edit_url(maths)).status_code == 404
    response = client.post(_edit_url(maths), {"signal_levels": ["V"], "level_drop": "1"})
    assert response.status_code == 404
    reset = client.post(_edit_url(maths), {"restore_default": "x"})
    assert reset.status_code == 404
    assert not SignalRule.objects.exists()


def test_another_schools_own_test_is_404(world, client_for):
    theirs = _own_instrument(world.other_school)
    client = client_for("care_coordinator")
    assert client.get(_edit_url(theirs)).status_code == 404
    assert client.post(_edit_url(theirs), {"min_growth": "1", "seen_state": ""}).status_code == 404
    assert client_for("other_school_ib").get(_edit_url(theirs)).status_code == 200


def test_an_unknown_test_is_404(world, client_for):
    assert client_for("care_coordinator").get(_edit_url(Instrument(pk=99999))).status_code == 404


# The rule at work ----------------------------------------------------------------------------


def _suggestion_kinds(client, overview) -> set[str]:
    url = reverse("groupplans:overview_detail", kwargs={"pk": overview.pk}) + "?stap=2"
    response = client.get(url)
    assert response.status_code == 200
    (row,) = response.context["rows"]
    return {suggestion.key.split(":")[1] for suggestion in row.suggestions}


def test_a_saved_rule_changes_the_suggestions_in_the_overview(world, overview, maths, client_for):
    start = overview.period.start_date
    add_result(world.pupil, maths, start + datetime.timedelta(days=30), score="50", level="III")
    add_result(world.pupil, maths, start + datetime.timedelta(days=90), score="53", level="IV")
    teacher = client_for("teacher")
    # The default: level IV is among the two worst, a drop of one level, and growth (+3) >= 0.
    assert _suggestion_kinds(teacher, overview) == {"level", "drop"}

    ib = client_for("care_coordinator")
    seen = _seen(ib.get(_edit_url(maths)))
    saved = _post(ib, maths, seen, signal_levels=["V"], level_drop="2", min_growth="5")
    assert saved.status_code == 302
    assert _suggestion_kinds(client_for("teacher"), overview) == {"growth"}

    ib = client_for("care_coordinator")
    seen = _seen(ib.get(_edit_url(maths)))
    assert (
        ib.post(_edit_url(maths), {"restore_default": "x", "seen_state": seen}).status_code == 302
    )
    assert _suggestion_kinds(client_for("teacher"), overview) == {"level", "drop"}


# The writes ----------------------------------------------------------------------------------


def test_two_first_saves_at_once_the_second_is_refused(world, maths, monkeypatch):
    """Both people saw the default; the first save's row appears after the second looked."""
    from groupplans import rule_actions

    seen = rule_actions.rule_state(maths, rule_actions.default_rule(maths))
    values = {"signal_levels": ["V"], "level_drop": 1, "min_growth": None}
    ib = world.users["care_coordinator"]
    rule_actions.save_signal_rule(
        school=world.school, instrument=maths, **values, seen_state=seen, by=ib
    )
    real, looked = rule_actions._locked_row, []

    def _before_the_first_save(*args):
        """The first look finds no row (it was not there yet), later looks the real one."""
        looked.append(args)
        return None if len(looked) == 1 else real(*args)

    monkeypatch.setattr(rule_actions, "_locked_row", _before_the_first_save)
    with pytest.raises(rule_actions.StaleRule) as stale:
        rule_actions.save_signal_rule(
            school=world.school,
            instrument=maths,
            **values | {"level_drop": 3},
            seen_state=seen,
            by=ib,
        )
    assert len(looked) == 2  # refused by the database's unique constraint, then read again
    assert stale.value.row is not None and stale.value.current.level_drop == 1
    assert SignalRule.objects.get(instrument=maths).level_drop == 1


def test_the_fingerprint_is_of_what_the_rule_does():
    from groupplans.rule_actions import rule_state
    from groupplans.signals import Rule

    maths = Instrument(name="Rekenen", score_kind="ability_score", level_scale="I-V")
    one = Rule(frozenset({"IV", "V"}), 1, Decimal("0"))
    same = Rule(frozenset({"V", "IV"}), 1, Decimal("0.00"), is_default=True)
    assert rule_state(maths, one) == rule_state(maths, same)
    assert rule_state(maths, one) != rule_state(maths, Rule(frozenset({"V"}), 1, Decimal(0)))
    assert rule_state(maths, one) != rule_state(maths, Rule(frozenset({"IV", "V"}), 1, None))
