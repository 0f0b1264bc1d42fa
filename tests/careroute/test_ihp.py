"""The individual plan (IHP): pre-filled from the dossier, started only when complete and
SMARTI, followed with data points and a hint, evaluated (then locked) and revised."""

import datetime
import re
import subprocess
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from careroute import ihp as actions
from careroute.models import IHP, DataPoint, IHPGoal
from hgw import access
from tests.careroute.ihp_helpers import (
    ib,
    ihp_item,
    nl,
    overview_row,
    ran_ihp,
    ready_ihp,
    result,
    started_ihp,
)


@pytest.fixture(autouse=True)
def _english():
    """The rules' messages in English (pages are checked against `nl`, which works before
    and after the translations are merged)."""
    with translation.override("en"):
        yield


def _pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "ihp.pdf"
    path.write_bytes(content)
    found = subprocess.run(["/usr/bin/pdftotext", str(path), "-"], capture_output=True, check=True)
    return " ".join(re.sub("\u2010\\s+", "", found.stdout.decode()).split())


def _points(goal, values, by):
    """Weekly measurements up to today, as the teacher adds them."""
    today = timezone.localdate()
    for n, value in enumerate(values):
        actions.add_data_point(
            goal=goal,
            date=today - datetime.timedelta(days=7 * (len(values) - 1 - n)),
            value=Decimal(value),
            by=by,
        )


# Pre-filling -------------------------------------------------------------------------------


def test_section_one_is_filled_from_the_overview_the_pupil_meeting_and_the_results(world):
    overview_row(
        world,
        stimulating="Gemotiveerd",
        hindering="Faalangst",
        need_instruction="verlengde instructie",
    )
    result(world, score="41")
    item = ihp_item(world)
    ihp = actions.create_ihp(pupil=world.pupil, by=ib(world), based_on=item)
    text = ihp.starting_situation
    assert "Gemotiveerd" in text and "Faalangst" in text
    assert "verlengde instructie" in text
    assert "Tafels van 6 tot 9" in text and "IHP rekenen opstellen" in text
    assert "Rekenen-Wiskunde" in text and "41" in text
    assert ihp.based_on == item and ihp.status == "draft"


def test_only_a_signed_off_ihp_needed_meeting_of_the_pupil_can_be_the_basis(world):
    from meetings.models import MeetingItem

    item = ihp_item(world)
    MeetingItem.objects.filter(pk=item.pk).update(outcome="plan_suffices")
    with pytest.raises(ValidationError):
        actions.create_ihp(pupil=world.pupil, by=ib(world), based_on=item)


# Starting ----------------------------------------------------------------------------------


def test_start_is_refused_with_every_missing_piece_named(world):
    ihp = actions.create_ihp(pupil=world.pupil, by=ib(world))
    actions.add_goal(ihp=ihp, values={"term": "long", "description": "Tafels"}, by=ib(world))
    with pytest.raises(ValidationError) as refused:
        actions.start_ihp(ihp=ihp, by=ib(world))
    text = " ".join(refused.value.messages)
    for section in ("Section 1", "short-term", "Section 3", "Section 4", "Section 5"):
        assert section in text, section
    assert "Section 6" in text and "Section 7" in text
    assert "goal 1 is not SMARTI" in text
    for part in ("what is measured", "the criterion", "the target date", "the owner"):
        assert part in text
    ihp.refresh_from_db()
    assert ihp.status == "draft"


def test_a_complete_smarti_ihp_starts(world):
    ihp = started_ihp(world)
    assert ihp.status == "active" and ihp.started_at is not None


def test_goal_missing_names_each_smarti_part(world):
    ihp = ready_ihp(world)
    goal = ihp.goals.first()
    goal.measure = ""
    goal.owner = None
    assert actions.goal_missing(goal) == ["what is measured", "the owner"]


def test_a_target_date_outside_the_term_is_refused(world):
    ihp = ready_ihp(world)
    with pytest.raises(ValidationError, match="within the term"):
        actions.add_goal(
            ihp=ihp,
            values={
                "term": "short",
                "description": "Later doel",
                "target_date": ihp.term_end + datetime.timedelta(days=1),
            },
            by=ib(world),
        )


def test_a_goal_owner_from_another_school_is_refused(world):
    ihp = ready_ihp(world)
    with pytest.raises(ValidationError, match="may read this IHP"):
        actions.add_goal(
            ihp=ihp,
            values={
                "term": "short",
                "description": "Doel",
                "owner": world.users["other_school_ib"],
            },
            by=ib(world),
        )


def test_goals_and_term_are_fixed_once_started_but_sections_stay_editable(world):
    ihp = started_ihp(world)
    with pytest.raises(ValidationError):
        actions.add_goal(ihp=ihp, values={"term": "long", "description": "Nieuw"}, by=ib(world))
    with pytest.raises(ValidationError):
        actions.save_ihp(
            ihp=ihp,
            values={"term_end": ihp.term_end + datetime.timedelta(days=7)},
            seen_version=ihp.version,
            by=ib(world),
        )
    saved = actions.save_ihp(
        ihp=ihp, values={"content": "Ook thuis oefenen."}, seen_version=ihp.version, by=ib(world)
    )
    assert saved.content == "Ook thuis oefenen."


def test_a_stale_save_is_refused(world):
    ihp = ready_ihp(world)
    seen = ihp.version
    actions.save_ihp(ihp=ihp, values={"content": "Eerste"}, seen_version=seen, by=ib(world))
    with pytest.raises(actions.StaleIHP) as stale:
        actions.save_ihp(ihp=ihp, values={"content": "Tweede"}, seen_version=seen, by=ib(world))
    assert stale.value.current.content == "Eerste"


# Data points and the hint ------------------------------------------------------------------


def test_data_points_only_while_active(world):
    ihp = ready_ihp(world)
    goal = ihp.goals.first()
    with pytest.raises(ValidationError, match="running"):
        actions.add_data_point(goal=goal, date=timezone.localdate(), value=10, by=ib(world))
    actions.start_ihp(ihp=ihp, by=ib(world))
    point = actions.add_data_point(
        goal=goal, date=timezone.localdate(), observation="Ging vlot", by=ib(world)
    )
    assert point.pk
    with pytest.raises(ValidationError):
        actions.add_data_point(goal=goal, date=timezone.localdate(), by=ib(world))


def test_adding_a_data_point_dated_before_the_start_is_refused(world):
    ihp = ran_ihp(world, days=7, points=False)
    goal = ihp.goals.first()
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="before the IHP started"):
        actions.add_data_point(
            goal=goal, date=today - datetime.timedelta(days=8), value=12, by=ib(world)
        )
    point = actions.add_data_point(
        goal=goal, date=today - datetime.timedelta(days=7), value=12, by=ib(world)
    )
    assert point.pk


def test_adding_a_data_point_dated_in_the_future_is_refused(world):
    ihp = ran_ihp(world, days=7, points=False)
    goal = ihp.goals.first()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="future"):
        actions.add_data_point(goal=goal, date=tomorrow, value=12, by=ib(world))
    assert not goal.data_points.exists()


def test_adding_a_data_point_dated_before_the_start_on_the_page_keeps_what_was_typed(
    world, client_for
):
    ihp = ran_ihp(world, days=7, points=False)
    goal = ihp.goals.first()
    early = timezone.localdate() - datetime.timedelta(days=30)
    response = client_for("teacher").post(
        reverse("careroute:data_point_add", args=[goal.pk]),
        {
            f"goal{goal.pk}-date": early.isoformat(),
            f"goal{goal.pk}-value": "17",
            f"goal{goal.pk}-observation": "Telde op de vingers",
        },
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert nl("The date cannot lie before the IHP started (%(date)s).").split(" (")[0] in page
    assert "Telde op de vingers" in page and early.isoformat() in page
    assert not goal.data_points.exists()


# Hand-worked: the long-term goal's criterion is 40 (higher is better), its target date 60 days
# after the last of the weekly measurements; "fewer errors" has 3 as its criterion (lower is
# better), its target 30 days after. The slope is judged against its noise (t-test, 90%).
HINT_TABLE = [
    # Three values: too few to say anything.
    (["20", "25", "30"], None, None, None, None),
    # +4 a week, 32 now: 66 by the target date.
    (
        ["20", "24", "28", "32"],
        None,
        "on_course",
        "continue",
        "De lijn stijgt en haalt in dit tempo het criterium vóór de streefdatum: overweeg door "
        "te gaan.",
    ),
    # Up and down around 1 (slope 0.1 with a standard error of 0.27): no direction.
    (
        ["1", "1", "2", "1"],
        None,
        "flat",
        "adjust",
        "De lijn is vlak: de waarden gaan op en neer zonder duidelijke richting. Overweeg de "
        "aanpak bij te stellen.",
    ),
    (
        ["25", "25", "25.2", "25"],
        None,
        "flat",
        "adjust",
        "De lijn is vlak: de waarden gaan op en neer zonder duidelijke richting. Overweeg de "
        "aanpak bij te stellen.",
    ),
    # -3 a week: away from 40.
    (
        ["30", "27", "24", "21"],
        None,
        "away",
        "escalate",
        "De lijn daalt, weg van het criterium: overweeg op te schalen.",
    ),
    # +1 a week, steady: 23 now, about 32 by the target date, short of 40.
    (
        ["20", "21", "22", "23"],
        None,
        "too_slow",
        "adjust",
        "De lijn stijgt, maar te langzaam om het criterium vóór de streefdatum te halen: "
        "overweeg de aanpak bij te stellen.",
    ),
    # Rising with noise (slope 2.8, standard error 1.1): still rising, about 53 by the date.
    (
        ["20", "26", "24", "30"],
        None,
        "on_course",
        "continue",
        "De lijn stijgt en haalt in dit tempo het criterium vóór de streefdatum: overweeg door "
        "te gaan.",
    ),
    # 41 meets 40 once: one more measurement to confirm it.
    (
        ["30", "34", "38", "41"],
        None,
        "reached_once",
        "continue",
        "De lijn stijgt en de laatste meting haalt het criterium: overweeg door te gaan tot de "
        "volgende het bevestigt.",
    ),
    # 41 and 42 both meet 40.
    (
        ["36", "39", "41", "42"],
        None,
        "reached",
        "exit",
        "De laatste twee metingen halen het criterium: overweeg de ondersteuning af te ronden.",
    ),
    # Fewer errors: -2 a week towards 3, below it well before the target date.
    (
        ["12", "10", "8", "6"],
        "hoogstens 3 fouten",
        "on_course",
        "continue",
        "De lijn daalt en haalt in dit tempo het criterium vóór de streefdatum: overweeg door "
        "te gaan.",
    ),
    # More errors each week: away from 3.
    (
        ["6", "7", "8", "9"],
        "hoogstens 3 fouten",
        "away",
        "escalate",
        "De lijn stijgt, weg van het criterium: overweeg op te schalen.",
    ),
    # No number in the criterion: only the direction.
    (
        ["5", "7", "9", "11"],
        "leest vloeiend voor",
        "moving",
        "continue",
        "De lijn stijgt: overweeg door te gaan.",
    ),
    # Only the last six count: a bad start no longer weighs once the line has turned.
    (
        ["30", "25", "20", "20", "22", "24", "26", "28"],
        None,
        "on_course",
        "continue",
        "De lijn stijgt en haalt in dit tempo het criterium vóór de streefdatum: overweeg door "
        "te gaan.",
    ),
]


@pytest.mark.parametrize(("values", "criterion", "reading", "decision", "words"), HINT_TABLE)
def test_the_hint_says_what_the_measurements_show(
    world, values, criterion, reading, decision, words
):
    ihp = ran_ihp(world, days=7 * len(values), points=False)
    goal = ihp.goals.get(term="long" if criterion is None else "short")
    if criterion is not None:
        goal.criterion = criterion
        goal.save()
    _points(goal, values, ib(world))
    hint = actions.decision_hint(IHPGoal.objects.get(pk=goal.pk))
    if reading is None:
        assert hint is None
        return
    assert (hint.reading, hint.decision) == (reading, decision)
    with translation.override("nl"):
        assert hint.text == words


def test_flat_after_an_adjustment_hints_escalation(world):
    ihp = ran_ihp(world, days=28, points=False)
    goal = ihp.goals.get(term="long")
    _points(goal, ["25", "25", "25", "25"], ib(world))
    ihp.previous = IHP.objects.create(pupil=world.pupil, created_by=ib(world))
    ihp.save()
    hint = actions.decision_hint(IHPGoal.objects.get(pk=goal.pk))
    assert (hint.reading, hint.decision) == ("flat_again", "escalate")


def test_observations_do_not_count_towards_the_hint(world):
    ihp = ran_ihp(world, days=28, points=False)
    goal = ihp.goals.get(term="long")
    _points(goal, ["20", "24", "28"], ib(world))
    DataPoint.objects.create(
        goal=goal, date=timezone.localdate(), observation="Moe", recorded_by=ib(world)
    )
    assert actions.decision_hint(goal) is None


# Evaluating and revising -------------------------------------------------------------------


def _outcomes(ihp, skip=None):
    return {
        goal.pk: ("partly", "Bijna")
        for goal in ihp.goals.all()
        if skip is None or goal.pk != skip.pk
    }


def test_evaluation_needs_every_goal_then_locks(world):
    ihp = ran_ihp(world)
    first = ihp.goals.first()
    with pytest.raises(ValidationError, match="Goal 1 needs an outcome"):
        actions.evaluate_ihp(
            ihp=ihp,
            goal_outcomes=_outcomes(ihp, skip=first),
            outcome="new_ihp",
            result_sufficient=False,
            notes="",
            by=ib(world),
        )
    ihp = actions.evaluate_ihp(
        ihp=ihp,
        goal_outcomes=_outcomes(ihp),
        outcome="new_ihp",
        result_sufficient=False,
        notes="Doorgaan met aanpassingen",
        by=ib(world),
    )
    assert ihp.status == "evaluated" and ihp.evaluated_at
    with pytest.raises(ValidationError, match="evaluated"):
        actions.save_ihp(ihp=ihp, values={"content": "x"}, seen_version=ihp.version, by=ib(world))
    with pytest.raises(ValidationError):
        actions.add_organisation(ihp=ihp, values={"who": "IB"}, by=ib(world))


def test_evaluating_rejoin_with_too_little_result_is_refused(world):
    ihp = ran_ihp(world)
    with pytest.raises(ValidationError, match="rejoins a subgroup only with enough result"):
        actions.evaluate_ihp(
            ihp=ihp,
            goal_outcomes=_outcomes(ihp),
            outcome="rejoin",
            result_sufficient=False,
            notes="",
            by=ib(world),
        )
    ihp.refresh_from_db()
    assert ihp.status == "active"


def test_evaluating_external_steps_with_enough_result_is_refused(world):
    ihp = ran_ihp(world)
    with pytest.raises(ValidationError, match="External steps"):
        actions.evaluate_ihp(
            ihp=ihp,
            goal_outcomes=_outcomes(ihp),
            outcome="external",
            result_sufficient=True,
            notes="",
            by=ib(world),
        )


def test_evaluating_every_goal_reached_with_too_little_result_is_refused(world):
    ihp = ran_ihp(world)
    with pytest.raises(ValidationError, match="Every goal is reached"):
        actions.evaluate_ihp(
            ihp=ihp,
            goal_outcomes={goal.pk: ("reached", "") for goal in ihp.goals.all()},
            outcome="new_ihp",
            result_sufficient=False,
            notes="",
            by=ib(world),
        )


def test_an_evaluation_both_rejoining_and_too_little_cannot_be_stored(world):
    ihp = ran_ihp(world)
    ihp = actions.evaluate_ihp(
        ihp=ihp,
        goal_outcomes=_outcomes(ihp),
        outcome="new_ihp",
        result_sufficient=False,
        notes="",
        by=ib(world),
    )
    ihp.outcome = "rejoin"
    with pytest.raises(IntegrityError), transaction.atomic():
        ihp.save()
    ihp.outcome, ihp.result_sufficient = "external", True
    with pytest.raises(IntegrityError), transaction.atomic():
        ihp.save()


def test_evaluating_rejoin_with_too_little_result_on_the_page_keeps_what_was_typed(
    world, client_for
):
    ihp = ran_ihp(world)
    data = {f"goal_{goal.pk}": "partly" for goal in ihp.goals.all()}
    data.update(outcome="rejoin", result_sufficient="no", notes="Gaat terug naar de subgroep")
    response = client_for("care_coordinator").post(
        reverse("careroute:ihp_evaluate", args=[ihp.pk]), data
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert (
        nl(
            "The pupil rejoins a subgroup only with enough result: with too little result, "
            "choose a new IHP or external steps."
        )
        in page
    )
    assert "Gaat terug naar de subgroep" in page
    ihp.refresh_from_db()
    assert ihp.status == "active"


def test_evaluating_on_the_start_day_without_data_lists_everything_missing(world):
    ihp = started_ihp(world)
    with pytest.raises(ValidationError) as refused:
        actions.evaluate_ihp(
            ihp=ihp,
            goal_outcomes={goal.pk: ("partly", "") for goal in ihp.goals.all()},
            outcome="new_ihp",
            result_sufficient=False,
            notes="",
            by=ib(world),
        )
    assert refused.value.messages == [
        "The IHP started today: evaluate it once it has run and data has been collected.",
        "Goal 1 has no data points: add them, or say in its notes why there are none.",
        "Goal 2 has no data points: add them, or say in its notes why there are none.",
    ]
    ihp.refresh_from_db()
    assert ihp.status == "active"


def test_evaluating_a_goal_without_data_points_needs_the_reason_in_its_notes(world):
    ihp = ran_ihp(world, points=False)
    long_goal, short_goal = ihp.goals.order_by("position")
    actions.add_data_point(goal=long_goal, date=timezone.localdate(), value=22, by=ib(world))
    outcomes = {long_goal.pk: ("partly", ""), short_goal.pk: ("not_reached", "")}
    with pytest.raises(ValidationError) as refused:
        actions.evaluate_ihp(
            ihp=ihp,
            goal_outcomes=outcomes,
            outcome="new_ihp",
            result_sufficient=False,
            notes="",
            by=ib(world),
        )
    assert refused.value.messages == [
        "Goal 2 has no data points: add them, or say in its notes why there are none."
    ]
    outcomes[short_goal.pk] = ("not_reached", "Sanne was drie weken ziek; niet gemeten.")
    ihp = actions.evaluate_ihp(
        ihp=ihp,
        goal_outcomes=outcomes,
        outcome="new_ihp",
        result_sufficient=False,
        notes="",
        by=ib(world),
    )
    assert ihp.status == "evaluated"


def test_evaluating_too_early_on_the_page_lists_everything_and_keeps_what_was_typed(
    world, client_for
):
    ihp = started_ihp(world)
    data = {f"goal_{goal.pk}": "partly" for goal in ihp.goals.all()}
    data.update(outcome="new_ihp", result_sufficient="no", notes="Nog te vroeg")
    response = client_for("care_coordinator").post(
        reverse("careroute:ihp_evaluate", args=[ihp.pk]), data
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert (
        nl("The IHP started today: evaluate it once it has run and data has been collected.")
        in page
    )
    for number in (1, 2):
        expected = nl(
            "Goal %(number)s has no data points: add them, or say in its notes why there are none."
        ) % {"number": number}
        assert expected in page
    assert "Nog te vroeg" in page
    ihp.refresh_from_db()
    assert ihp.status == "active"


def test_a_revision_copies_sections_goals_and_organisation(world):
    ihp = ran_ihp(world)
    ihp = actions.evaluate_ihp(
        ihp=ihp,
        goal_outcomes=_outcomes(ihp),
        outcome="new_ihp",
        result_sufficient=False,
        notes="",
        by=ib(world),
    )
    new = actions.revise_ihp(ihp=ihp, by=ib(world))
    assert new.previous == ihp and new.status == "draft"
    assert new.content == ihp.content and new.term_end == ihp.term_end
    assert [g.description for g in new.goals.order_by("position")] == [
        g.description for g in ihp.goals.order_by("position")
    ]
    assert not new.goals.exclude(outcome="").exists()
    row = new.organisation.get()
    assert row.goal.ihp_id == new.pk
    assert ihp.history.count() >= 1


# Pages -------------------------------------------------------------------------------------


def _detail(ihp):
    return reverse("careroute:ihp_detail", args=[ihp.pk])


def _sections(ihp, **values):
    fields = {name: getattr(ihp, name) or "" for name in actions.SECTION_FIELDS}
    fields.update(values)
    fields["version"] = ihp.version
    return fields


def test_the_teacher_makes_an_ihp_from_the_tab(world, client_for):
    item = ihp_item(world)
    client = client_for("teacher")
    tab = client.get(reverse("careroute:pupil_ihps", args=[world.pupil.pk]))
    assert tab.status_code == 200 and nl("New IHP") in tab.content.decode()
    response = client.post(
        reverse("careroute:ihp_create", args=[world.pupil.pk]), {"based_on": item.pk}
    )
    ihp = IHP.objects.get()
    assert response.status_code == 302 and response["Location"] == _detail(ihp)
    assert ihp.based_on == item and ihp.created_by == world.users["teacher"]


def test_a_stale_page_save_shows_both_versions_and_keeps_the_typed_text(world, client_for):
    ihp = ready_ihp(world)
    client = client_for("care_coordinator")
    first = _sections(ihp, content="Versie van de leerkracht")
    stale = _sections(ihp, content="Versie van de IB")
    assert client.post(_detail(ihp), first).status_code == 302
    response = client.post(_detail(ihp), stale)
    page = response.content.decode()
    assert response.status_code == 409
    assert "Versie van de leerkracht" in page and "Versie van de IB" in page
    ihp.refresh_from_db()
    assert ihp.content == "Versie van de leerkracht"


def test_a_form_error_keeps_the_typed_text(world, client_for):
    ihp = ready_ihp(world)
    data = _sections(ihp, content="Mijn tekst", term_start="geen datum")
    response = client_for("care_coordinator").post(_detail(ihp), data)
    assert response.status_code == 422 and "Mijn tekst" in response.content.decode()


def test_the_page_shows_smarti_gaps_grid_chart_and_hint(world, client_for):
    ihp = ran_ihp(world, days=28, points=False)
    goal = ihp.goals.get(term="long")
    _points(goal, ["20", "24", "28", "32"], ib(world))
    page = client_for("teacher").get(_detail(ihp)).content.decode()
    assert "<svg" in page and "<polyline" in page and "stroke-dasharray" in page
    with translation.override("nl"):
        words = actions.decision_hint(goal).text
    assert words in page
    assert "dagelijks" in page  # the organisation grid
    assert 'style="' not in page.split("<svg", 1)[1].split("</svg>", 1)[0]


def test_starting_on_the_page_lists_what_is_missing(world, client_for):
    ihp = actions.create_ihp(pupil=world.pupil, by=ib(world))
    response = client_for("care_coordinator").post(reverse("careroute:ihp_start", args=[ihp.pk]))
    assert response.status_code == 422
    assert nl("Section 4: describe the content.") in response.content.decode()


def test_a_data_point_on_the_page(world, client_for):
    ihp = started_ihp(world)
    goal = ihp.goals.first()
    url = reverse("careroute:data_point_add", args=[goal.pk])
    client = client_for("teacher")
    today = timezone.localdate().isoformat()
    response = client.post(url, {f"goal{goal.pk}-date": today, f"goal{goal.pk}-value": "23"})
    assert response.status_code == 302
    assert goal.data_points.get().value == Decimal("23")
    response = client.post(url, {f"goal{goal.pk}-date": today})
    assert response.status_code == 422


def test_a_mistyped_data_point_is_removed_while_running_and_kept_after_the_evaluation(
    world, client_for
):
    ihp = ran_ihp(world, points=False)
    goal = ihp.goals.first()
    today = timezone.localdate()
    wrong = actions.add_data_point(goal=goal, date=today, value=230, by=ib(world))
    kept = actions.add_data_point(goal=goal, date=today, value=23, by=ib(world))
    client = client_for("teacher")
    page = client.get(reverse("careroute:ihp_detail", args=[ihp.pk])).content.decode()
    assert reverse("careroute:data_point_remove", args=[wrong.pk]) in page
    response = client.post(reverse("careroute:data_point_remove", args=[wrong.pk]))
    assert response.status_code == 302
    assert list(goal.data_points.all()) == [kept]
    assert DataPoint.history.filter(id=wrong.pk, history_type="-").exists()  # traceable
    actions.evaluate_ihp(
        ihp=ihp,
        goal_outcomes=_outcomes(ihp),
        outcome="rejoin",
        result_sufficient=True,
        notes="",
        by=ib(world),
    )
    with translation.override("en"), pytest.raises(ValidationError, match="running"):
        actions.remove_data_point(point=kept, by=ib(world))
    page = client.get(reverse("careroute:ihp_detail", args=[ihp.pk])).content.decode()
    assert reverse("careroute:data_point_remove", args=[kept.pk]) not in page


def test_the_pdf_holds_the_sections_and_goals_without_the_name_in_the_file_name(
    world, client_for, tmp_path
):
    ihp = ran_ihp(world, days=28, points=False)
    _points(ihp.goals.get(term="long"), ["20", "24", "28", "32"], ib(world))
    response = client_for("care_coordinator").get(reverse("careroute:ihp_pdf", args=[ihp.pk]))
    assert response.status_code == 200
    assert "Vries" not in response["Content-Disposition"]
    text = _pdf_text(response.content, tmp_path)
    assert "Sanne de Vries" in text and world.school.name in text
    assert "Sanne beheerst de tafels van 1 tot 10." in text
    assert "Dagelijks tien minuten tafels oefenen." in text
    assert "confidential" in text.lower() or "vertrouwelijk" in text.lower()
    assert re.search(r"(Page|Pagina) 1 (of|van) \d", text)


def test_the_tab_takes_the_same_number_of_queries_for_one_or_several_ihps(world, client_for):
    client = client_for("care_coordinator")
    url = reverse("careroute:pupil_ihps", args=[world.pupil.pk])
    ihp_item(world)
    actions.create_ihp(pupil=world.pupil, by=ib(world), based_on=ihp_item(world))
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(3):
        actions.create_ihp(pupil=world.pupil, by=ib(world), based_on=ihp_item(world))
    with CaptureQueriesContext(connection) as several:
        assert client.get(url).status_code == 200
    assert len(several) == len(one)


# Access ------------------------------------------------------------------------------------


def test_another_teacher_and_another_school_get_a_404(world, client_for):
    ihp = ready_ihp(world)
    for persona in ("other_teacher", "other_school_ib", "school_admin", "care_team_member"):
        assert client_for(persona).get(_detail(ihp)).status_code == 404, persona


def test_the_director_reads_but_cannot_write(world, client_for):
    ihp = ready_ihp(world)
    client = client_for("director")
    page = client.get(_detail(ihp))
    assert page.status_code == 200 and nl("Save the sections") not in page.content.decode()
    assert client.post(_detail(ihp), _sections(ihp, content="x")).status_code == 404
    assert client.post(reverse("careroute:ihp_start", args=[ihp.pk])).status_code == 404


def test_the_teacher_edits_but_only_the_ib_starts(world, client_for):
    ihp = ready_ihp(world)
    client = client_for("teacher")
    assert client.post(_detail(ihp), _sections(ihp, content="Nieuw")).status_code == 302
    assert client.post(reverse("careroute:ihp_start", args=[ihp.pk])).status_code == 404


def test_the_goal_owner_is_chosen_from_the_people_who_may_read_the_ihp(world, client_for):
    ihp = ready_ihp(world)
    page = client_for("care_coordinator").get(_detail(ihp))
    offered = set(page.context["goal_form"].fields["owner"].queryset)
    users = world.users
    assert offered == {users["teacher"], users["care_coordinator"], users["director"]}


def test_the_goal_owners_are_those_the_access_policy_lets_read_the_ihp(world):
    from hgw.access import Actor, roles_at

    offered = set(actions.goal_owners(world.pupil))
    for name, user in world.users.items():
        if name in ("anonymous", "superuser"):
            continue
        actor = Actor(user=user, school=world.school, roles=roles_at(user, world.school))
        assert (user in offered) == access.can_view_ihp(actor, world.pupil), name


def test_adding_a_goal_with_a_forged_owner_is_refused(world, client_for):
    ihp = ready_ihp(world)
    count = ihp.goals.count()
    for persona in ("school_admin", "privacy_officer", "other_teacher", "other_school_ib"):
        response = client_for("care_coordinator").post(
            reverse("careroute:goal_add", args=[ihp.pk]),
            {
                "term": "short",
                "description": "Sanne kent de tafel van 7.",
                "owner": world.users[persona].pk,
            },
        )
        assert response.status_code == 422, persona
        assert "Sanne kent de tafel van 7." in response.content.decode()
    with translation.override("en"), pytest.raises(ValidationError, match="may read this IHP"):
        actions.add_goal(
            ihp=ihp,
            values={"term": "short", "description": "Doel", "owner": world.users["school_admin"]},
            by=ib(world),
        )
    assert ihp.goals.count() == count


def _teacher_leaves(world):
    """The pupil's teacher stops teaching the group today."""
    for assignment in world.users["teacher"].group_assignments.all():
        assignment.end_date = timezone.localdate()
        assignment.save()


def test_starting_an_ihp_whose_goal_owner_left_the_pupil_is_refused(world):
    ihp = ready_ihp(world)
    _teacher_leaves(world)
    with pytest.raises(ValidationError, match="goal 1's owner can no longer read this IHP"):
        actions.start_ihp(ihp=ihp, by=ib(world))


def test_a_revision_leaves_out_an_owner_who_can_no_longer_read_the_ihp(world):
    ihp = ran_ihp(world)
    ihp = actions.evaluate_ihp(
        ihp=ihp,
        goal_outcomes=_outcomes(ihp),
        outcome="new_ihp",
        result_sufficient=False,
        notes="",
        by=ib(world),
    )
    _teacher_leaves(world)
    new = actions.revise_ihp(ihp=ihp, by=ib(world))
    assert [goal.owner for goal in new.goals.order_by("position")] == [None, ib(world)]


def test_an_incoherent_evaluation_already_stored_follows_its_outcome_after_the_migration(
    world, transactional_db
):
    from django.db.migrations.executor import MigrationExecutor

    before, after = [("careroute", "0001_initial")], [("careroute", "0002_ihp_evaluation_coherent")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("careroute", "IHP")
    now = timezone.now()
    made = {
        (outcome, sufficient): old.objects.create(
            pupil_id=world.pupil.pk,
            created_by_id=ib(world).pk,
            status="evaluated",
            started_at=now,
            evaluated_at=now,
            outcome=outcome,
            result_sufficient=sufficient,
        ).pk
        for outcome, sufficient in [("rejoin", False), ("external", True), ("new_ihp", False)]
    }
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    found = {
        pk: IHP.objects.values_list("outcome", "result_sufficient").get(pk=pk)
        for pk in made.values()
    }
    assert found == {
        made["rejoin", False]: ("rejoin", True),
        made["external", True]: ("external", False),
        made["new_ihp", False]: ("new_ihp", False),
    }
    changed = IHP.history.filter(id=made["rejoin", False]).latest()
    assert changed.result_sufficient is True and "coherent" in changed.history_change_reason
