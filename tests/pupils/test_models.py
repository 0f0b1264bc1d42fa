import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from pupils.actions import enrol
from pupils.models import Enrolment, EnrolmentKind, Pupil
from tests import factories

pytestmark = pytest.mark.django_db


def _integrity_error(factory, **kwargs):
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**kwargs)


def test_las_key_is_unique_per_school():
    pupil = factories.PupilFactory(las_key="K1")
    _integrity_error(factories.PupilFactory, school=pupil.school, las_key="K1")
    factories.PupilFactory(las_key="K1")  # another school may use the same key


def test_pupil_sex_must_be_an_edexml_code():
    _integrity_error(factories.PupilFactory, sex=3)


def test_pupil_cannot_enter_school_before_birth():
    _integrity_error(
        factories.PupilFactory,
        date_of_birth=datetime.date(2018, 1, 1),
        date_in=datetime.date(2017, 1, 1),
    )


def test_pupil_leaves_after_entering():
    _integrity_error(
        factories.PupilFactory,
        date_in=datetime.date(2022, 1, 1),
        date_out=datetime.date(2021, 1, 1),
    )


def test_group_grades_lie_between_one_and_eight():
    _integrity_error(factories.GroupFactory, grade_low=0, grade_high=2)
    _integrity_error(factories.GroupFactory, grade_low=5, grade_high=9)
    _integrity_error(factories.GroupFactory, grade_low=6, grade_high=5)
    _integrity_error(factories.GroupFactory, grade_low=5, grade_high=None)
    assert factories.GroupFactory(grade_low=None, grade_high=None).grades_display == ""
    assert factories.GroupFactory(grade_low=3, grade_high=4).grades_display == "3/4"


def test_a_pupil_has_at_most_one_open_main_group():
    enrolment = factories.EnrolmentFactory(end_date=None)
    _integrity_error(
        factories.EnrolmentFactory,
        pupil=enrolment.pupil,
        group=factories.GroupFactory(school=enrolment.pupil.school),
        end_date=None,
    )


def test_enrolment_dates_are_ordered():
    _integrity_error(
        factories.EnrolmentFactory,
        start_date=datetime.date(2025, 9, 1),
        end_date=datetime.date(2025, 8, 1),
    )


def test_enrol_moves_a_pupil_and_keeps_the_history():
    first = factories.EnrolmentFactory(start_date=datetime.date(2025, 8, 1))
    new_group = factories.GroupFactory(school=first.pupil.school)
    enrol(pupil=first.pupil, group=new_group, start_date=datetime.date(2026, 1, 12))
    first.refresh_from_db()
    assert first.end_date == datetime.date(2026, 1, 12)
    assert first.history.count() == 2  # created, then ended
    current = Enrolment.objects.running_on(datetime.date(2026, 1, 12)).get(pupil=first.pupil)
    assert current.group == new_group


def test_enrol_refuses_an_overlapping_main_group():
    first = factories.EnrolmentFactory(
        start_date=datetime.date(2025, 8, 1), end_date=datetime.date(2026, 8, 1)
    )
    with pytest.raises(ValidationError):
        enrol(
            pupil=first.pupil,
            group=factories.GroupFactory(school=first.pupil.school),
            start_date=datetime.date(2026, 1, 1),
        )


def test_enrol_allows_a_composed_group_beside_the_main_group():
    first = factories.EnrolmentFactory()
    plus = factories.GroupFactory(school=first.pupil.school, grade_low=None, grade_high=None)
    enrol(pupil=first.pupil, group=plus, start_date=first.start_date, kind=EnrolmentKind.COMPOSED)
    assert first.pupil.enrolments.count() == 2


def test_enrol_refuses_a_group_of_another_school():
    pupil = factories.PupilFactory()
    with pytest.raises(ValidationError):
        enrol(pupil=pupil, group=factories.GroupFactory(), start_date=datetime.date(2026, 1, 1))


def test_names_in_dutch_order():
    pupil = Pupil(given_name="Sanne", name_prefix="van der", family_name="Berg")
    assert pupil.full_name == "Sanne van der Berg"
    assert pupil.sort_name == "Berg, Sanne van der"


def test_age_counts_whole_years():
    pupil = Pupil(date_of_birth=datetime.date(2016, 3, 1))
    assert pupil.age_on(datetime.date(2026, 2, 28)) == 9
    assert pupil.age_on(datetime.date(2026, 3, 1)) == 10


def test_every_write_of_pupil_data_leaves_a_revision():
    pupil = factories.PupilFactory(given_name="Sanne")
    pupil.given_name = "Sanna"
    pupil.save()
    before, after = pupil.history.order_by("history_date")
    assert (before.given_name, after.given_name) == ("Sanne", "Sanna")
    assert [r.history_type for r in (before, after)] == ["+", "~"]


def test_pupil_data_models_protect_against_cascading_deletes():
    enrolment = factories.EnrolmentFactory()
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        enrolment.pupil.delete()


def test_python_sorting_ignores_accents_like_a_dutch_reader():
    names = ["Koster", "Koç", "Kok", "Çelik", "Celik"]
    pupils = [Pupil(given_name="A", family_name=n) for n in names]
    assert [p.family_name for p in sorted(pupils, key=lambda p: p.sort_key)] == [
        "Çelik",
        "Celik",
        "Koç",
        "Kok",
        "Koster",
    ]
