"""Test results: the dossier tab with its growth chart, hand entry, and the scale rules."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from pupils.models import Instrument
from pupils.models import TestResult as Result
from pupils.results import results_by_instrument

pytestmark = pytest.mark.django_db


def _instrument(name: str) -> Instrument:
    return Instrument.objects.get(name=name, school=None)


def _result(pupil, instrument, day, score=None, level="", moment=""):
    return Result.objects.create(
        pupil=pupil, instrument=instrument, date_taken=day, score=score, level=level, moment=moment
    )


def test_default_instruments_know_their_scales():
    rekenen, avi = _instrument("Cito Rekenen-Wiskunde"), _instrument("AVI")
    assert rekenen.normalise_level(" iii ") == "III"
    assert avi.normalise_level("AVI-m4") == "M4"
    assert rekenen.level_rank("I") > rekenen.level_rank("V")  # I is the best level
    assert avi.level_rank("E5") > avi.level_rank("M5")
    with pytest.raises(ValueError, match="VI"):
        rekenen.normalise_level("VI")


def test_change_since_the_previous_result_respects_the_scale(world):
    rekenen = _instrument("Cito Rekenen-Wiskunde")
    _result(world.pupil, rekenen, datetime.date(2025, 1, 20), Decimal("120"), "III", "M4")
    _result(world.pupil, rekenen, datetime.date(2025, 6, 10), Decimal("118.5"), "IV", "E4")
    (series,) = results_by_instrument(list(Result.objects.select_related("instrument")))
    first, second = series.rows
    assert first.score_change is None and first.level_change is None
    assert second.score_change == Decimal("-1.5")
    assert second.level_change == -1  # IV is worse than III


def test_results_tab_shows_table_and_growth_chart(world, client_for):
    rekenen = _instrument("Cito Rekenen-Wiskunde")
    for n, (score, level) in enumerate([(110, "IV"), (121, "III"), (135, "II")]):
        _result(
            world.pupil, rekenen, datetime.date(2024 + n, 1, 20), Decimal(score), level, f"M{3 + n}"
        )
    avi = _instrument("AVI")
    _result(world.pupil, avi, datetime.date(2025, 6, 10), level="E4")
    response = client_for("teacher").get(
        reverse("pupil_dossier_tab", args=[world.pupil.pk, "toetsen"])
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("<svg") == 1  # a chart for the scores; AVI has levels only
    assert 'role="img"' in body and "Cito Rekenen-Wiskunde" in body
    assert "+11" in body and "+14" in body  # the change since the previous result
    assert "E4" in body


def test_results_tab_is_for_who_may_see_learning_data(world, client_for):
    url = reverse("pupil_dossier_tab", args=[world.pupil.pk, "toetsen"])
    assert client_for("director").get(url).status_code == 200
    assert client_for("school_admin").get(url).status_code == 404
    assert client_for("other_teacher").get(url).status_code == 404


def test_hostile_text_in_a_result_is_escaped(world, client_for):
    school_instrument = Instrument.objects.create(
        school=world.school,
        name="<script>alert(1)</script>",
        subject="maths",
        score_kind="ability_score",
    )
    _result(world.pupil, school_instrument, datetime.date(2025, 1, 1), Decimal(1), moment="<b>")
    _result(world.pupil, school_instrument, datetime.date(2025, 6, 1), Decimal(2), moment="x")
    body = (
        client_for("care_coordinator")
        .get(reverse("pupil_dossier_tab", args=[world.pupil.pk, "toetsen"]))
        .content.decode()
    )
    assert "<script>alert(1)" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def _post_result(client, pupil, **fields):
    data = {
        "instrument": _instrument("Cito Rekenen-Wiskunde").pk,
        "date_taken": "2026-01-20",
        "moment": "m5",
        "score": "123,5",
        "level": "ii",
    }
    data.update(fields)
    return client.post(reverse("pupils:result_add", args=[pupil.pk]), data)


def test_teacher_enters_a_result_with_a_dutch_decimal(world, client_for):
    response = _post_result(client_for("teacher"), world.pupil)
    assert response.status_code == 302
    result = Result.objects.get()
    assert (result.score, result.level, result.moment) == (Decimal("123.5"), "II", "M5")
    assert result.entered_by == world.users["teacher"]
    assert result.history.get().history_user == world.users["teacher"]


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"score": ""}, "score"),
        ({"level": "VI"}, "level"),
        ({"date_taken": "2099-01-01"}, "date_taken"),
        ({"date_taken": "2001-01-01"}, "date_taken"),
    ],
)
def test_a_bad_result_is_explained_and_the_input_kept(world, client_for, fields, field):
    response = _post_result(client_for("teacher"), world.pupil, **fields)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert 'value="M5"' in response.content.decode() or 'value="m5"' in response.content.decode()
    assert not Result.objects.exists()


def test_a_level_only_test_takes_no_score(world, client_for):
    response = _post_result(
        client_for("teacher"), world.pupil, instrument=_instrument("AVI").pk, score="12", level="M5"
    )
    assert "score" in response.context["form"].errors


def test_the_same_result_twice_is_refused(world, client_for):
    client = client_for("care_coordinator")
    _post_result(client, world.pupil)
    response = _post_result(client, world.pupil)
    assert "date_taken" in response.context["form"].errors
    assert Result.objects.count() == 1


def test_director_and_other_teacher_cannot_enter_results(world, client_for):
    assert _post_result(client_for("director"), world.pupil).status_code == 404
    assert _post_result(client_for("other_teacher"), world.pupil).status_code == 404
    assert not Result.objects.exists()


def test_a_result_needs_a_score_or_a_level(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        _result(world.pupil, _instrument("AVI"), datetime.date(2025, 1, 1))


def test_a_level_only_instrument_must_have_levels(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Instrument.objects.create(
            name="Zonder", subject="other", score_kind="level_only", level_scale="none"
        )


def test_school_adds_its_own_test_and_it_stays_its_own(world, client_for):
    client = client_for("care_coordinator")
    response = client.post(
        reverse("pupils:instrument_list"),
        {
            "name": "Cito Rekenen (A-E)",
            "subject": "maths",
            "score_kind": "ability_score",
            "level_scale": "A-E",
            "higher_score_is_better": "on",
        },
    )
    assert response.status_code == 302
    added = Instrument.objects.get(name="Cito Rekenen (A-E)")
    assert added.school == world.school
    assert added in client.get(reverse("pupils:instrument_list")).context["instruments"]
    other = client_for("other_school_ib").get(reverse("pupils:instrument_list"))
    assert added not in other.context["instruments"]


def test_a_test_name_is_not_taken_twice(world, client_for):
    response = client_for("care_coordinator").post(
        reverse("pupils:instrument_list"),
        {
            "name": "avi",
            "subject": "technical_reading",
            "score_kind": "level_only",
            "level_scale": "AVI",
        },
    )
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
