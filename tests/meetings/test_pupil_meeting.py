"""Slice 3: registrations for a pupil meeting and the growth document of each pupil on it."""

import datetime
import decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from groupplans import actions as overview_actions
from groupplans import plan_actions
from groupplans.models import Placement
from meetings import actions, registrations
from meetings.models import Attendee, MeetingItem, Registration
from pupils import models as pupil_models
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def teacher(world):
    return world.users["teacher"]


@pytest.fixture
def pupil_meeting(world, period, ib):
    return actions.plan_meeting(
        school=world.school,
        kind="pupil",
        date=period.start_date + datetime.timedelta(days=20),
        start_time=datetime.time(8, 15),
        by=ib,
    )


def _draft(world, teacher, **values):
    defaults = {"question": "Hoe help ik Sanne bij rekenen?", "tried": "Extra instructie."}
    return registrations.start_registration(pupil=world.pupil, by=teacher, **(defaults | values))


def _submitted(world, teacher, pupil=None, **values):
    registration = registrations.start_registration(
        pupil=pupil or world.pupil,
        question=values.get("question", "Hoe help ik bij rekenen?"),
        tried=values.get("tried", "Verlengde instructie."),
        going_well=values.get("going_well", "Lezen gaat goed."),
        by=teacher,
    )
    return registrations.submit_registration(registration=registration, by=teacher)


def _item(world, teacher, meeting, ib):
    return registrations.attach_registration(
        meeting=meeting, registration=_submitted(world, teacher), by=ib
    )


# The rules --------------------------------------------------------------------------------


def test_a_draft_is_saved_over_the_version_seen_and_submitted_then_locked(world, teacher):
    draft = _draft(world, teacher, question="", tried="")
    assert (draft.version, draft.is_submitted, draft.school) == (1, False, world.school)
    saved = registrations.save_registration(
        registration=draft, values={"question": "Vraag"}, seen_version=1, by=teacher
    )
    assert (saved.version, saved.question) == (2, "Vraag")
    with pytest.raises(registrations.StaleRegistration) as stale:
        registrations.save_registration(
            registration=draft, values={"tried": "Iets"}, seen_version=1, by=teacher
        )
    assert stale.value.current.question == "Vraag"
    with pytest.raises(ValidationError):  # what has been tried is required
        registrations.submit_registration(registration=saved, by=teacher)
    registrations.save_registration(
        registration=saved, values={"tried": "Iets"}, seen_version=2, by=teacher
    )
    submitted = registrations.submit_registration(registration=saved, by=teacher)
    assert submitted.is_submitted and submitted.submitted_by == teacher
    with pytest.raises(ValidationError):
        registrations.save_registration(
            registration=submitted,
            values={"tried": "Anders"},
            seen_version=submitted.version,
            by=teacher,
        )
    with pytest.raises(ValidationError):
        registrations.submit_registration(registration=submitted, by=teacher)
    with pytest.raises(ValidationError):
        registrations.withdraw_registration(registration=submitted, by=teacher)
    assert Registration.objects.get().tried == "Iets"


def test_a_draft_can_be_withdrawn(world, teacher):
    draft = _draft(world, teacher)
    registrations.withdraw_registration(registration=draft, by=teacher)
    assert not Registration.objects.exists()


def test_unknown_fields_are_refused(world, teacher):
    with pytest.raises(ValidationError):
        registrations.save_registration(
            registration=_draft(world, teacher), values={"school": 3}, seen_version=1, by=teacher
        )


def test_attach_makes_the_item_last_and_the_teacher_attends(world, teacher, pupil_meeting, ib):
    other = factories.PupilFactory(school=world.school, given_name="Lotte")
    factories.EnrolmentFactory(pupil=other, group=world.group)
    first = _item(world, teacher, pupil_meeting, ib)
    second = registrations.attach_registration(
        meeting=pupil_meeting, registration=_submitted(world, teacher, pupil=other), by=ib
    )
    assert (first.position, second.position) == (1, 2)
    assert first.registration.pupil == world.pupil
    assert Registration.objects.waiting().count() == 0
    attending = Attendee.objects.filter(meeting=pupil_meeting).values_list("user", flat=True)
    assert sorted(attending) == sorted([ib.pk, teacher.pk])  # once, however many pupils


def test_attach_only_submitted_to_a_pupil_meeting_of_the_school_not_signed_off(
    world, teacher, pupil_meeting, group_meeting, ib
):
    with pytest.raises(ValidationError):
        registrations.attach_registration(
            meeting=pupil_meeting, registration=_draft(world, teacher), by=ib
        )
    submitted = _submitted(world, teacher)
    with pytest.raises(ValidationError):
        registrations.attach_registration(meeting=group_meeting, registration=submitted, by=ib)
    other_ib = world.users["other_school_ib"]
    elsewhere = actions.plan_meeting(
        school=world.other_school, kind="pupil", date=pupil_meeting.date, by=other_ib
    )
    with pytest.raises(ValidationError):
        registrations.attach_registration(meeting=elsewhere, registration=submitted, by=other_ib)
    actions.mark_held(meeting=pupil_meeting, by=ib, today=pupil_meeting.date)
    actions.sign_off(meeting=pupil_meeting, by=ib)  # no items: nothing blocks
    pupil_meeting.refresh_from_db()
    with pytest.raises(ValidationError):
        registrations.attach_registration(meeting=pupil_meeting, registration=submitted, by=ib)
    assert not MeetingItem.objects.exists()


def test_a_registration_goes_on_one_agenda_only(world, teacher, pupil_meeting, ib):
    item = _item(world, teacher, pupil_meeting, ib)
    with pytest.raises(ValidationError):
        registrations.attach_registration(
            meeting=pupil_meeting, registration=item.registration, by=ib
        )


def test_the_growth_document_is_prefilled(world, teacher, pupil_meeting, period, ib):
    overview = overview_actions.create_overview(group=world.group, period=period, by=teacher)
    row = overview.rows.get(pupil=world.pupil)
    row.stimulating = "Werkt graag samen."
    row.hindering = "Snel afgeleid."
    row.save()
    plan = plan_actions.create_plan(overview=overview, by=teacher)
    section = plan.sections.filter(subgroups__isnull=False).select_related("area").first()
    subgroup = section.subgroups.get(kind="intensive")
    Placement.objects.create(section=section, subgroup=subgroup, pupil=world.pupil)
    maths = pupil_models.Instrument.objects.get(name="Cito Rekenen-Wiskunde")
    pupil_models.TestResult.objects.create(
        pupil=world.pupil,
        instrument=maths,
        date_taken=period.start_date,
        moment="M5",
        score=decimal.Decimal("45.00"),
        level="IV",
    )
    item = _item(world, teacher, pupil_meeting, ib)
    assert "Lezen gaat goed." in item.going_well
    assert "Werkt graag samen." in item.going_well
    assert "Snel afgeleid." in item.difficult
    assert section.area.name in item.know_enough and subgroup.title in item.know_enough
    assert "Cito Rekenen-Wiskunde M5" in item.know_enough and "45" in item.know_enough
    assert "IV" in item.know_enough
    assert item.version == 1


def test_a_stale_save_of_the_growth_document_is_refused(world, teacher, pupil_meeting, ib):
    item = _item(world, teacher, pupil_meeting, ib)
    actions.save_item(item=item, values={"insight": "A"}, seen_version=1, by=ib)
    with pytest.raises(actions.StaleMinutes):
        actions.save_item(item=item, values={"insight": "B"}, seen_version=1, by=ib)
    assert MeetingItem.objects.get().insight == "A"


def test_detach_only_while_untouched(world, teacher, pupil_meeting, ib):
    item = _item(world, teacher, pupil_meeting, ib)
    registration = registrations.detach_item(item=item, by=ib)
    assert Registration.objects.waiting().get() == registration
    item = registrations.attach_registration(
        meeting=pupil_meeting, registration=registration, by=ib
    )
    actions.save_item(item=item, values={"insight": "Geschreven"}, seen_version=1, by=ib)
    with pytest.raises(ValidationError):
        registrations.detach_item(item=item, by=ib)
    assert MeetingItem.objects.count() == 1


def test_an_outcome_is_required_at_sign_off(world, teacher, pupil_meeting, ib):
    item = _item(world, teacher, pupil_meeting, ib)
    actions.mark_held(meeting=pupil_meeting, by=ib, today=pupil_meeting.date)
    with pytest.raises(ValidationError) as refused:
        actions.sign_off(meeting=pupil_meeting, by=ib)
    assert "Sanne de Vries" in " ".join(refused.value.messages)
    actions.save_item(item=item, values={"outcome": "plan_suffices"}, seen_version=1, by=ib)
    assert actions.sign_off(meeting=pupil_meeting, by=ib).status == "signed_off"


# The pages --------------------------------------------------------------------------------


def test_the_teacher_registers_and_submits(world, client_for):
    client = client_for("teacher")
    dossier = client.get(reverse("pupil_dossier_tab", args=[world.pupil.pk, "gegevens"]))
    url = reverse("meetings:registration_create", args=[world.pupil.pk])
    assert url in dossier.content.decode()
    assert client.get(url).status_code == 200
    response = client.post(url, {"question": "Vraag", "tried": "", "going_well": ""})
    assert response.status_code == 302  # a draft needs nothing
    draft = Registration.objects.get()
    assert not draft.is_submitted
    detail = reverse("meetings:registration_detail", args=[draft.pk])
    refused = client.post(
        detail,
        {"question": "Vraag <b>x</b>", "tried": "", "version": 1, "submit_registration": "1"},
    )
    assert refused.status_code == 422
    assert "Vraag &lt;b&gt;x&lt;/b&gt;" in refused.content.decode()  # input kept
    assert not Registration.objects.get().is_submitted
    done = client.post(
        detail,
        {"question": "Vraag", "tried": "Geprobeerd", "version": 1, "submit_registration": "1"},
    )
    assert done.status_code == 302
    assert Registration.objects.get().is_submitted
    page = client.get(detail)
    assert page.status_code == 200 and "<textarea" not in page.content.decode()
    assert (
        client.post(detail, {"question": "Anders", "tried": "x", "version": 3}).status_code == 404
    )


def test_a_stale_registration_save_shows_both_versions(world, teacher, client_for):
    draft = _draft(world, teacher)
    registrations.save_registration(
        registration=draft, values={"going_well": "Van de IB"}, seen_version=1, by=teacher
    )
    client = client_for("teacher")
    response = client.post(
        reverse("meetings:registration_detail", args=[draft.pk]),
        {"question": "Q", "tried": "T", "going_well": "Van mij", "version": 1},
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "Van de IB" in body and "Van mij" in body


def test_the_ib_sees_waiting_registrations_and_attaches(world, teacher, pupil_meeting, client_for):
    registration = _submitted(world, teacher)
    _draft(world, teacher, question="Nog niet ingediend")
    client = client_for("care_coordinator")
    listed = client.get(reverse("meetings:registration_list") + "?toon=wachtend")
    assert listed.status_code == 200
    assert "Sanne de Vries" in listed.content.decode()
    assert "Nog niet ingediend" not in listed.content.decode()
    page = client.get(reverse("meetings:meeting_detail", args=[pupil_meeting.pk]))
    assert f'value="{registration.pk}"' in page.content.decode()
    response = client.post(
        reverse("meetings:registration_attach", args=[pupil_meeting.pk]),
        {"registration": [registration.pk]},
    )
    assert response.status_code == 302
    item = MeetingItem.objects.get()
    assert item.registration == registration
    page = client.get(reverse("meetings:meeting_detail", args=[pupil_meeting.pk]))
    assert "Lezen gaat goed." in page.content.decode()  # the pre-filled growth document


def test_the_growth_document_is_saved_and_errors_keep_input(
    world, teacher, pupil_meeting, ib, client_for
):
    item = _item(world, teacher, pupil_meeting, ib)
    client = client_for("care_coordinator")
    url = reverse("meetings:growth_document", args=[pupil_meeting.pk, item.pk])
    bad = client.post(url, {"insight": "Mijn inzicht", "outcome": "nonsense", "version": 1})
    assert bad.status_code == 422
    assert "Mijn inzicht" in bad.content.decode()
    good = client.post(url, {"insight": "Mijn inzicht", "outcome": "ihp_needed", "version": 1})
    assert good.status_code == 302
    item.refresh_from_db()
    assert (item.insight, item.outcome, item.version) == ("Mijn inzicht", "ihp_needed", 2)
    stale = client.post(url, {"insight": "Later inzicht", "outcome": "", "version": 1})
    assert stale.status_code == 409
    body = stale.content.decode()
    assert "Mijn inzicht" in body and "Later inzicht" in body


def test_the_teacher_reads_but_cannot_edit_the_growth_document(
    world, teacher, pupil_meeting, ib, client_for
):
    item = _item(world, teacher, pupil_meeting, ib)
    client = client_for("teacher")
    page = client.get(reverse("meetings:meeting_detail", args=[pupil_meeting.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Sanne de Vries" in body and "Lezen gaat goed." in body
    assert "<textarea" not in body
    url = reverse("meetings:growth_document", args=[pupil_meeting.pk, item.pk])
    assert client.post(url, {"insight": "x", "version": 1}).status_code == 404


def test_an_item_of_a_pupil_one_may_not_see_shows_no_name(
    world, teacher, pupil_meeting, ib, client_for
):
    other_teacher = world.users["other_teacher"]
    registration = _submitted(world, other_teacher, pupil=world.other_group_pupil)
    registrations.attach_registration(meeting=pupil_meeting, registration=registration, by=ib)
    _item(world, teacher, pupil_meeting, ib)
    body = (
        client_for("teacher")
        .get(reverse("meetings:meeting_detail", args=[pupil_meeting.pk]))
        .content.decode()
    )
    assert "Sanne de Vries" in body
    assert "Daan" not in body and "Bakker" not in body


def test_other_schools_and_other_teachers_get_404(world, teacher, client_for):
    registration = _submitted(world, teacher)
    url = reverse("meetings:registration_detail", args=[registration.pk])
    assert client_for("other_school_ib").get(url).status_code == 404
    assert client_for("other_teacher").get(url).status_code == 404
    create = reverse("meetings:registration_create", args=[world.pupil.pk])
    assert client_for("other_teacher").get(create).status_code == 404
    assert client_for("director").get(create).status_code == 404


def test_the_group_meeting_offers_registering_the_groups_pupils(group_meeting, client_for, world):
    url = reverse("meetings:registration_create", args=[world.pupil.pk])
    page = reverse("meetings:meeting_detail", args=[group_meeting.pk])
    assert url in client_for("teacher").get(page).content.decode()
    assert url in client_for("care_coordinator").get(page).content.decode()
    assert url not in client_for("director").get(page).content.decode()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_pupil_meeting_page_takes_a_fixed_number_of_queries(
    world, teacher, pupil_meeting, ib, client_for
):
    _item(world, teacher, pupil_meeting, ib)
    _submitted(world, teacher, question="Wacht")
    client = client_for("care_coordinator")
    url = reverse("meetings:meeting_detail", args=[pupil_meeting.pk])
    one = _queries(client, url)
    for name in ("Lotte", "Mila", "Noah"):
        pupil = factories.PupilFactory(school=world.school, given_name=name)
        factories.EnrolmentFactory(pupil=pupil, group=world.group)
        registrations.attach_registration(
            meeting=pupil_meeting, registration=_submitted(world, teacher, pupil=pupil), by=ib
        )
        _submitted(world, teacher, pupil=pupil, question="Wacht ook")
    assert _queries(client, url) == one


def test_the_registration_list_takes_a_fixed_number_of_queries(world, teacher, client_for):
    _submitted(world, teacher)
    client = client_for("teacher")
    url = reverse("meetings:registration_list")
    one = _queries(client, url)
    for _n in range(4):
        _draft(world, teacher)
    assert _queries(client, url) == one
