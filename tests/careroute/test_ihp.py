"""The individual plan (IHP): pre-filled from the dossier, started only when complete and
SMARTI, followed with data points and a hint, evaluated (then locked) and revised."""

import datetime
import re
import subprocess
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from careroute import ihp as actions
from careroute.models import IHP, DataPoint, IHPGoal
from tests.careroute.ihp_helpers import (
    ib,
    ihp_item,
    nl,
    overview_row,
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
    today = timezone.localdate()
    for n, value in enumerate(values):
        DataPoint.objects.create(
            goal=goal,
            date=today - datetime.timedelta(days=7 * (len(values) - n)),
            value=Decimal(value),
            recorded_by=by,
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


def test_the_owner_must_work_at_the_school(world):
    ihp = ready_ihp(world)
    with pytest.raises(ValidationError, match="work at the school"):
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


@pytest.mark.parametrize(
    ("values", "hint"),
    [
        (["20", "25", "30"], None),
        (["20", "24", "28", "32"], "continue"),
        (["25", "25", "25.2", "25"], "adjust"),
        (["30", "27", "24", "21"], "escalate"),
        (["30", "34", "38", "41"], "exit"),
    ],
)
def test_the_hint_from_four_values(world, values, hint):
    ihp = started_ihp(world)
    goal = ihp.goals.get(term="long")  # criterion: 40 per minute
    _points(goal, values, ib(world))
    assert actions.decision_hint(goal) == hint


def test_flat_after_an_adjustment_hints_escalation(world):
    ihp = started_ihp(world)
    goal = ihp.goals.get(term="long")
    _points(goal, ["25", "25", "25", "25"], ib(world))
    IHP.objects.filter(pk=ihp.pk).update(
        previous=IHP.objects.create(pupil=world.pupil, created_by=ib(world))
    )
    goal = IHPGoal.objects.get(pk=goal.pk)
    assert actions.decision_hint(goal) == "escalate"


def test_observations_do_not_count_towards_the_hint(world):
    ihp = started_ihp(world)
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
    ihp = started_ihp(world)
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


def test_a_revision_copies_sections_goals_and_organisation(world):
    ihp = started_ihp(world)
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
    ihp = started_ihp(world)
    goal = ihp.goals.get(term="long")
    _points(goal, ["20", "24", "28", "32"], ib(world))
    page = client_for("teacher").get(_detail(ihp)).content.decode()
    assert "<svg" in page and "<polyline" in page and "stroke-dasharray" in page
    assert nl("The trend is rising: consider continuing.") in page
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
    ihp = started_ihp(world)
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
    ihp = started_ihp(world)
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
