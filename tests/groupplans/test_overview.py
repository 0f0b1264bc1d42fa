"""The group overview: rows per pupil, carried over from the previous period, saved row by
row over the version seen, read and edited by the right people."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AccessLogEntry
from groupplans import actions
from groupplans.models import OverviewRow, OverviewStatus
from pupils.models import Enrolment
from tests import factories
from tests.groupplans.conftest import add_pupils


def _url(overview, step=1):
    return reverse("groupplans:overview_detail", kwargs={"pk": overview.pk}) + f"?stap={step}"


def _save_url(row):
    return reverse("groupplans:row_save", kwargs={"pk": row.overview_id, "row_pk": row.pk})


def _row(overview, pupil) -> OverviewRow:
    return overview.rows.get(pupil=pupil)


def _step1(row, **values) -> dict:
    data = {"stap": "1", f"r{row.pk}-version": str(row.version)}
    for name in (
        "notes_tests",
        "notes_observation",
        "notes_pupil",
        "notes_parents",
        "notes_handover",
        "stimulating",
        "hindering",
    ):
        data[f"r{row.pk}-{name}"] = values.get(name, getattr(row, name))
    return data


# Creating ----------------------------------------------------------------------------------


def test_a_row_per_pupil_enrolled_in_the_period(world, overview):
    assert list(overview.rows.values_list("pupil", flat=True)) == [world.pupil.pk]


def test_one_overview_per_group_and_period(world, overview, period):
    with pytest.raises(ValidationError):
        actions.create_overview(group=world.group, period=period, by=world.users["teacher"])


def test_the_period_must_belong_to_the_groups_school(world, period):
    with pytest.raises(ValidationError):
        actions.create_overview(
            group=world.other_school_group, period=period, by=world.users["teacher"]
        )


def test_the_next_period_continues_from_the_last_also_in_a_new_group(world, periods):
    first = actions.create_overview(group=world.group, period=periods[0], by=world.users["teacher"])
    row = _row(first, world.pupil)
    actions.save_row(
        row=row,
        values={"stimulating": "Leest graag", "notes_handover": "Werkt goed met een maatje"},
        seen_version=row.version,
        by=world.users["teacher"],
    )
    # The pupil moves up to the other group in the second period.
    Enrolment.objects.filter(pupil=world.pupil).update(end_date=periods[1].start_date)
    factories.EnrolmentFactory(
        pupil=world.pupil, group=world.other_group, start_date=periods[1].start_date
    )
    second = actions.create_overview(
        group=world.other_group, period=periods[1], by=world.users["care_coordinator"]
    )
    carried = _row(second, world.pupil)
    assert carried.stimulating == "Leest graag"
    assert carried.notes_handover == "Werkt goed met een maatje"
    assert carried.carried_from_id == row.pk


def test_pupils_who_join_later_get_a_row_when_the_overview_is_opened(world, overview, client_for):
    newcomer = factories.PupilFactory(school=world.school, given_name="Noor")
    factories.EnrolmentFactory(pupil=newcomer, group=world.group, start_date=datetime.date.today())
    client_for("teacher").get(_url(overview))
    assert overview.rows.filter(pupil=newcomer).exists()


def test_a_pupil_who_left_shows_as_left_and_is_not_edited(world, overview, client_for):
    left_on = overview.period.start_date + datetime.timedelta(days=30)
    Enrolment.objects.filter(pupil=world.pupil).update(end_date=left_on)
    response = client_for("teacher").get(_url(overview))
    content = response.content.decode()
    assert "left the group on" in content or "heeft de groep verlaten" in content
    row = _row(overview, world.pupil)
    assert f'id="id_r{row.pk}-stimulating"' not in content


# Saving ------------------------------------------------------------------------------------


def test_a_stale_save_is_refused(world, overview):
    row = _row(overview, world.pupil)
    actions.save_row(row=row, values={"hindering": "A"}, seen_version=1, by=world.users["teacher"])
    with pytest.raises(actions.StaleRow) as stale:
        actions.save_row(
            row=row, values={"hindering": "B"}, seen_version=1, by=world.users["care_coordinator"]
        )
    assert stale.value.current.hindering == "A"
    assert OverviewRow.objects.get(pk=row.pk).hindering == "A"


def test_a_save_that_changes_nothing_keeps_the_version(world, overview):
    row = _row(overview, world.pupil)
    saved = actions.save_row(row=row, values={"hindering": ""}, seen_version=1, by=None)
    assert saved.version == 1


def test_the_teacher_saves_a_cell_in_place(world, overview, client_for):
    row = _row(overview, world.pupil)
    client = client_for("teacher")
    response = client.post(
        _save_url(row), _step1(row, stimulating="Helpt anderen graag"), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    row.refresh_from_db()
    assert row.stimulating == "Helpt anderen graag"
    assert row.version == 2
    assert row.updated_by == world.users["teacher"]
    body = response.content.decode()
    # The new version goes back into the row's form, and the row says it is saved.
    assert f'id="id_r{row.pk}-version" value="2"' in body
    assert f'id="state-{row.pk}"' in body


def test_without_javascript_a_row_is_an_ordinary_form(world, overview, client_for):
    row = _row(overview, world.pupil)
    response = client_for("teacher").post(_save_url(row), _step1(row, hindering="Snel afgeleid"))
    assert response.status_code == 302
    assert response["Location"].endswith(f"?stap=1#row-{row.pk}")
    row.refresh_from_db()
    assert row.hindering == "Snel afgeleid"


def test_a_stale_save_shows_both_versions_and_keeps_the_typed_text(world, overview, client_for):
    row = _row(overview, world.pupil)
    seen = _step1(row, hindering="Mijn tekst")
    actions.save_row(
        row=row,
        values={"hindering": "Hun tekst"},
        seen_version=1,
        by=world.users["care_coordinator"],
    )
    response = client_for("teacher").post(_save_url(row), seen)
    assert response.status_code == 409
    content = response.content.decode()
    assert "Hun tekst" in content and "Mijn tekst" in content
    row.refresh_from_db()
    assert row.hindering == "Hun tekst"
    # Saving again, now over the version shown, keeps the teacher's text.
    again = _step1(row, hindering="Mijn tekst")
    assert client_for("teacher").post(_save_url(row), again).status_code == 302
    row.refresh_from_db()
    assert row.hindering == "Mijn tekst"


def test_a_stale_save_in_place_says_so_and_shows_both_versions(world, overview, client_for):
    row = _row(overview, world.pupil)
    seen = _step1(row, hindering="Mijn tekst")
    actions.save_row(
        row=row,
        values={"hindering": "Hun tekst"},
        seen_version=1,
        by=world.users["care_coordinator"],
    )
    response = client_for("teacher").post(_save_url(row), seen, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert f'id="conflict-{row.pk}"' in body
    assert "Hun tekst" in body and "Mijn tekst" in body
    # The form now stands over the version shown, so saving again keeps the teacher's text.
    assert f'id="id_r{row.pk}-version" value="2"' in body
    row.refresh_from_db()
    assert row.hindering == "Hun tekst"


def test_bad_input_is_refused_with_a_message_and_kept(world, overview, client_for):
    row = _row(overview, world.pupil)
    data = _step1(row, hindering="x" * 2001)
    response = client_for("teacher").post(_save_url(row), data)
    assert response.status_code == 422
    assert "x" * 2001 in response.content.decode()
    row.refresh_from_db()
    assert row.hindering == ""


def test_a_signal_needs_a_reason(world, overview, client_for):
    row = _row(overview, world.pupil)
    data = {"stap": "2", f"r{row.pk}-version": "1", f"r{row.pk}-signalled": "on"}
    response = client_for("teacher").post(_save_url(row), data, HTTP_HX_REQUEST="true")
    row.refresh_from_db()
    assert not row.signalled
    assert f'id="state-{row.pk}"' in response.content.decode()
    data[f"r{row.pk}-signal_reason"] = "Rekenen blijft achter"
    client_for("teacher").post(_save_url(row), data)
    row.refresh_from_db()
    assert row.signalled and row.signal_reason == "Rekenen blijft achter"


# Reading -----------------------------------------------------------------------------------


def test_opening_the_overview_is_logged_with_its_pupils(world, overview, client_for):
    client_for("care_coordinator").get(_url(overview))
    entry = AccessLogEntry.objects.latest("pk")
    assert entry.what == "groupplans:overview_detail"
    assert list(entry.pupils.values_list("pupil_id", flat=True)) == [world.pupil.pk]


def test_the_director_reads_without_editing(world, overview, client_for):
    response = client_for("director").get(_url(overview))
    assert response.status_code == 200
    assert "grid-cell" not in response.content.decode()
    row = _row(overview, world.pupil)
    assert client_for("director").post(_save_url(row), _step1(row)).status_code == 404


@pytest.mark.parametrize("persona", ["other_teacher", "school_admin", "other_school_ib"])
def test_others_get_404(world, overview, client_for, persona):
    assert client_for(persona).get(_url(overview)).status_code == 404
    row = _row(overview, world.pupil)
    assert client_for(persona).post(_save_url(row), _step1(row)).status_code == 404


def test_the_steps_show_their_own_columns(world, overview, client_for):
    client = client_for("teacher")
    row = _row(overview, world.pupil)
    step1 = client.get(_url(overview, 1)).content.decode()
    assert f"r{row.pk}-stimulating" in step1 and f"r{row.pk}-need_instruction" not in step1
    step2 = client.get(_url(overview, 2)).content.decode()
    assert f"r{row.pk}-signal_reason" in step2
    step3 = client.get(_url(overview, 3)).content.decode()
    # Needs are for signalled pupils only.
    assert f'r{row.pk}-need_instruction"' not in step3
    actions.save_row(
        row=row, values={"signalled": True, "signal_reason": "x"}, seen_version=1, by=None
    )
    step3 = client.get(_url(overview, 3)).content.decode()
    assert f'name="r{row.pk}-need_instruction"' in step3
    assert "This pupil needs" in step3 or "Deze leerling heeft" in step3


QUERIES_PER_GRID = 40


def test_the_grid_takes_the_same_queries_for_5_and_30_pupils(world, period, client_for, maths):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.groupplans.conftest import add_result

    def join(count: int) -> None:
        for n, pupil in enumerate(add_pupils(world.group, count, period.start_date)):
            add_result(pupil, maths, period.start_date, score=200 + n, level="III")
            day = period.start_date + datetime.timedelta(days=60)
            add_result(pupil, maths, day, score=190, level="V")
            factories.PupilLogEntryFactory(pupil=pupil, kind="parents", date=period.start_date)

    def measure(overview) -> dict[int, int]:
        counts = {}
        for step in (1, 2, 3):
            client.get(_url(overview, step))  # warm up (sessions; rows of pupils who joined)
            with CaptureQueriesContext(connection) as captured:
                assert client.get(_url(overview, step)).status_code == 200
            counts[step] = len(captured)
        return counts

    client = client_for("teacher")
    join(4)
    overview = actions.create_overview(group=world.group, period=period, by=world.users["teacher"])
    few = measure(overview)
    join(25)
    many = measure(overview)
    assert overview.rows.count() == 30
    assert many == few
    assert max(few.values()) <= QUERIES_PER_GRID


# Sending and discussing --------------------------------------------------------------------


def test_the_teacher_sends_the_overview_and_the_ib_gets_an_email_without_pupils(
    world, overview, client_for, django_capture_on_commit_callbacks
):
    url = reverse("groupplans:overview_send", kwargs={"pk": overview.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("teacher").post(url, {"questions": "Hoe help ik Sanne met rekenen?"})
    assert response.status_code == 302
    overview.refresh_from_db()
    assert overview.status == OverviewStatus.SENT
    assert overview.sent_by == world.users["teacher"]
    (message,) = mail.outbox
    assert message.to == [world.users["care_coordinator"].email]
    assert reverse("groupplans:overview_detail", kwargs={"pk": overview.pk}) in message.body
    for text in (world.pupil.given_name, world.pupil.family_name, "rekenen"):
        assert text not in message.body and text not in message.subject
    page = client_for("care_coordinator").get(_url(overview)).content.decode()
    assert "Hoe help ik Sanne met rekenen?" in page


def test_only_the_teacher_sends_and_only_once(world, overview, client_for):
    url = reverse("groupplans:overview_send", kwargs={"pk": overview.pk})
    assert client_for("care_coordinator").get(url).status_code == 404
    assert client_for("director").get(url).status_code == 404
    client_for("teacher").post(url, {"questions": ""})
    assert client_for("teacher").get(url).status_code == 404


def test_a_discussed_overview_is_locked(world, overview, client_for):
    actions.send_overview(overview=overview, questions="", by=world.users["teacher"])
    url = reverse("groupplans:overview_discussed", kwargs={"pk": overview.pk})
    assert client_for("teacher").post(url).status_code == 404
    assert client_for("care_coordinator").post(url).status_code == 302
    overview.refresh_from_db()
    assert overview.status == OverviewStatus.DISCUSSED
    row = _row(overview, world.pupil)
    assert client_for("teacher").post(_save_url(row), _step1(row)).status_code == 404
    with pytest.raises(ValidationError):
        actions.save_row(row=row, values={"hindering": "x"}, seen_version=1, by=None)


def test_the_list_shows_the_overviews_of_ones_groups(world, overview, client_for):
    url = reverse("groupplans:overview_list")
    assert world.group.name in client_for("teacher").get(url).content.decode()
    assert world.group.name not in client_for("other_teacher").get(url).content.decode()
    assert client_for("school_admin").get(url).status_code == 404


def test_starting_an_overview_from_the_list(world, period, client_for):
    url = reverse("groupplans:overview_create")
    response = client_for("teacher").post(url, {"group": world.group.pk, "period": period.pk})
    assert response.status_code == 302
    # Not for a group the teacher does not teach: the form refuses the choice.
    response = client_for("teacher").post(url, {"group": world.other_group.pk, "period": period.pk})
    assert response.status_code == 422


# Retention ---------------------------------------------------------------------------------


def test_erasing_a_pupil_takes_their_rows_and_decisions_and_leaves_the_others(world, overview):
    from groupplans.models import SuggestionDecision
    from pupils.retention import purge_pupils
    from tests.audit.test_retention import _leaver

    leaver = _leaver(world)
    # The leaver was in an overview with Sanne, signalled by a confirmed suggestion.
    row = OverviewRow.objects.create(overview=overview, pupil=leaver)
    actions.decide_suggestion(
        row=row,
        key="1:level",
        suggestion="Rekenen: niveau V",
        decision="confirmed",
        reason="",
        by=world.users["teacher"],
    )
    sanne = _row(overview, world.pupil)

    purge_pupils(school=world.school, pupil_ids=[leaver.pk], by=world.users["care_coordinator"])

    assert not OverviewRow.objects.filter(pk=row.pk).exists()
    assert not OverviewRow.history.filter(id=row.pk).exists()
    assert not SuggestionDecision.objects.exists()
    assert not SuggestionDecision.history.exists()
    assert OverviewRow.objects.filter(pk=sanne.pk).exists()


def test_the_ib_home_shows_each_groups_overview_and_what_was_sent(world, overview, client_for):
    home = client_for("care_coordinator").get(reverse("home"))
    groups = {g.name: g for g in home.context["school_groups"]}
    assert groups["Groep 5"].current_overview == overview
    assert groups["Groep 6"].current_overview is None
    assert home.context["overviews_waiting"] == 0
    actions.send_overview(overview=overview, questions="", by=world.users["teacher"], notify=False)
    home = client_for("care_coordinator").get(reverse("home"))
    assert home.context["overviews_waiting"] == 1
    assert "?status=sent" in home.content.decode()
    # The school administration sees the groups, not the overviews (learning data).
    admin_home = client_for("school_admin").get(reverse("home"))
    assert "overviews_waiting" not in admin_home.context
    assert "Groepsoverzicht" not in admin_home.content.decode()


def test_the_list_filters_by_status(world, overview, period, client_for):
    other = actions.create_overview(
        group=world.other_group, period=period, by=world.users["care_coordinator"]
    )
    actions.send_overview(overview=overview, questions="", by=world.users["teacher"], notify=False)
    url = reverse("groupplans:overview_list")
    client = client_for("care_coordinator")
    assert set(client.get(url).context["page"].object_list) == {overview, other}
    assert list(client.get(url, {"status": "sent"}).context["page"].object_list) == [overview]
    assert list(client.get(url, {"status": "draft"}).context["page"].object_list) == [other]
    # An unknown status shows everything rather than failing.
    assert len(client.get(url, {"status": "<x>"}).context["page"].object_list) == 2


def test_specific_needs_show_and_save_for_pupils_who_are_not_signalled(world, overview, client_for):
    """The plan's evaluation lands in the specific-needs column of every pupil; the seven
    aspects stay for signalled pupils, and saving the column leaves them as they were."""
    row = _row(overview, world.pupil)
    actions.save_row(
        row=row,
        values={"need_instruction": "verlengde instructie", "specific_needs": "Rekenen: behaald."},
        seen_version=1,
        by=None,
    )
    client = client_for("teacher")
    step3 = client.get(_url(overview, 3)).content.decode()
    assert f'name="r{row.pk}-specific_needs"' in step3
    assert f'name="r{row.pk}-need_instruction"' not in step3
    assert "Rekenen: behaald." in step3
    response = client.post(
        _save_url(row),
        {"stap": "3", f"r{row.pk}-version": "2", f"r{row.pk}-specific_needs": "Rekenen: deels."},
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.specific_needs == "Rekenen: deels."
    assert row.need_instruction == "verlengde instructie"
