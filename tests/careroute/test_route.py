"""The 1-zorgroute: each move refused until its evidence exists, allowed after; evidence
counts only when newer than the latest entry into the level below; who may move; the tab."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from careroute import opp, route
from careroute.models import CareRoute, CareTeamCase, RouteEvent, ZATHandover
from tests.careroute import route_helpers as h

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def ib(world):
    return world.users["care_coordinator"]


@pytest.fixture
def teacher(world):
    return world.users["teacher"]


def _move(world, name, by, **kwargs):
    return route.move(pupil=world.pupil, move_name=name, by=by, **kwargs)


def _to_level_2(world, ib):
    h.submitted_registration(world.pupil, ib)
    return _move(world, "register_pupil_meeting", ib)


def _to_level_3(world, ib):
    _to_level_2(world, ib)
    item = h.signed_off_pupil_meeting(world, world.pupil, ib)
    ihp = h.started_ihp(world.pupil, ib, based_on=item)
    _move(world, "start_ihp", ib)
    return ihp


def _care_team_evidence(world, ib, ihp):
    h.evaluate(ihp, sufficient=False)
    registration = h.care_team_registration(world.pupil, ib)
    h.consent(world.pupil, ib, care_team_registration=registration)
    h.select_document(registration, ihp, ib)
    return registration


def _to_level_4(world, ib):
    ihp = _to_level_3(world, ib)
    registration = _care_team_evidence(world, ib, ihp)
    _move(world, "to_care_team", ib)
    return registration


def test_a_pupil_without_a_route_is_at_level_1(world):
    assert route.current_level(world.pupil) == 1
    assert not CareRoute.objects.filter(pupil=world.pupil).exists()


def test_register_pupil_meeting_refused_until_a_registration_is_submitted(world, teacher):
    missing = route.check(world.pupil, "register_pupil_meeting", actor_user=teacher)
    assert missing == ["There is no submitted registration for a pupil meeting."]
    with pytest.raises(route.MoveRefused):
        _move(world, "register_pupil_meeting", teacher)
    draft = h.submitted_registration(world.pupil, teacher)
    assert route.check(world.pupil, "register_pupil_meeting", actor_user=teacher) == []
    event = _move(world, "register_pupil_meeting", teacher, reason="Rekenen blijft achter")
    assert route.current_level(world.pupil) == 2
    assert (event.from_level, event.to_level, event.move) == (1, 2, "register_pupil_meeting")
    assert event.by == teacher and event.reason == "Rekenen blijft achter"
    [piece] = event.evidence
    assert piece["kind"] == "registration" and piece["id"] == draft.pk
    assert piece["version"] == draft.version
    assert piece["label"].startswith("Registration for a pupil meeting, submitted on")
    assert piece["at"] == draft.submitted_at.isoformat()


def test_a_draft_registration_is_no_evidence(world, teacher):
    from meetings import registrations

    registrations.start_registration(pupil=world.pupil, question="Lezen?", tried="x", by=teacher)
    assert route.check(world.pupil, "register_pupil_meeting", actor_user=teacher) != []


def test_the_route_row_is_made_with_the_first_move_and_its_version_bumps(world, ib):
    _to_level_2(world, ib)
    found = CareRoute.objects.get(pupil=world.pupil)
    assert (found.level, found.version, found.school_id) == (2, 2, world.school.pk)


def test_start_ihp_names_each_missing_piece(world, ib):
    _to_level_2(world, ib)
    missing = route.check(world.pupil, "start_ihp", actor_user=ib)
    assert len(missing) == 2
    assert "concluded that an individual plan is needed" in missing[0]
    assert "No individual plan (IHP) has been started" in missing[1]
    # A meeting that concluded something else is no evidence.
    h.signed_off_pupil_meeting(world, world.pupil, ib, outcome="plan_suffices")
    assert len(route.check(world.pupil, "start_ihp", actor_user=ib)) == 2
    item = h.signed_off_pupil_meeting(world, world.pupil, ib)
    assert route.check(world.pupil, "start_ihp", actor_user=ib) == [missing[1]]
    h.started_ihp(world.pupil, ib, based_on=item)
    event = _move(world, "start_ihp", ib)
    assert (event.from_level, event.to_level) == (2, 3)
    assert [piece["kind"] for piece in event.evidence] == ["meeting_item", "ihp"]


def test_a_pupil_meeting_not_signed_off_is_no_evidence(world, ib):
    from meetings import actions, registrations

    _to_level_2(world, ib)
    day = world.group.school_year.start_date
    meeting = actions.plan_meeting(school=world.school, kind="pupil", date=day, by=ib)
    registration = h.submitted_registration(world.pupil, ib)
    item = registrations.attach_registration(meeting=meeting, registration=registration, by=ib)
    actions.save_item(item=item, values={"outcome": "ihp_needed"}, seen_version=1, by=ib)
    h.started_ihp(world.pupil, ib)
    missing = route.check(world.pupil, "start_ihp", actor_user=ib)
    assert len(missing) == 1 and "pupil meeting" in missing[0]


def test_to_care_team_names_each_missing_piece_and_opens_the_case(world, ib):
    ihp = _to_level_3(world, ib)
    missing = route.check(world.pupil, "to_care_team", actor_user=ib)
    assert missing == [
        "No individual plan (IHP) has been evaluated with too little result after "
        + missing[0].rsplit("after ", 1)[1],
        "There is no registration for the care team with a question after "
        + missing[1].rsplit("after ", 1)[1],
        "The parents have not consented to discussion by the care team.",
        "No documents have been selected for the care team.",
    ]
    h.evaluate(ihp, sufficient=False)
    registration = h.care_team_registration(world.pupil, ib)
    missing = route.check(world.pupil, "to_care_team", actor_user=ib)
    assert missing == [
        "Anna de Vries has not decided yet.",
        "No documents have been selected for the care team.",
    ]
    h.consent(world.pupil, ib, care_team_registration=registration)
    assert route.check(world.pupil, "to_care_team", actor_user=ib) == [
        "No documents have been selected for the care team."
    ]
    h.select_document(registration, ihp, ib)
    event = _move(world, "to_care_team", ib)
    assert (event.from_level, event.to_level) == (3, 4)
    case = CareTeamCase.objects.get(pupil=world.pupil)
    assert case.registration == registration and case.status == "open"
    kinds = [piece["kind"] for piece in event.evidence]
    assert kinds == ["ihp", "care_team_registration", "consent", "case_document", "care_team_case"]


def test_a_school_that_asks_for_an_opp_gets_none_to_the_care_team_without_one(
    world, ib, client_for
):
    ihp = _to_level_3(world, ib)
    _care_team_evidence(world, ib, ihp)
    assert route.check(world.pupil, "to_care_team", actor_user=ib) == []
    # The IB turns the school's choice on (the page of the care route's settings).
    response = client_for("care_coordinator").post(
        reverse("careroute:settings"), {"opp_required_for_care_team": "on"}
    )
    assert response.status_code == 302
    world.pupil.school.refresh_from_db()
    assert world.pupil.school.history.first().history_user == ib
    with translation.override("en"):
        assert route.check(world.pupil, "to_care_team", actor_user=ib) == [
            "The school needs an OPP before the care team; there is none."
        ]
        made = opp.create_opp(pupil=world.pupil, by=ib)
        assert route.check(world.pupil, "to_care_team", actor_user=ib) == [
            "The parents have not agreed to the support part of the OPP."
        ]
        made = opp.save_opp(
            opp=made,
            values={"exit_level": "vmbo-bb", "rationale": "Toetsen", "support": "Tafels oefenen"},
            seen_version=made.version,
            by=ib,
        )
        opp.record_agreement(
            opp=made,
            on=timezone.localdate(),
            how="In een gesprek met moeder.",
            seen_version=made.version,
            by=ib,
        )
        assert route.check(world.pupil, "to_care_team", actor_user=ib) == []
    event = _move(world, "to_care_team", ib)
    assert event.evidence[-2]["kind"] == "opp" and event.evidence[-2]["id"] == made.pk


def test_the_settings_page_names_only_a_change_of_its_own_setting(world, client_for):
    school = world.pupil.school
    school.teachers_require_two_factor = True  # the school admin's setting, not this page's
    school.save()
    client = client_for("care_coordinator")
    page = client.get(reverse("careroute:settings"))
    assert page.context["last_change"] is None
    client.post(reverse("careroute:settings"), {"opp_required_for_care_team": "on"})
    page = client.get(reverse("careroute:settings"))
    assert page.context["last_change"].history_user == world.users["care_coordinator"]


def test_an_ihp_evaluated_with_enough_result_does_not_lead_to_the_care_team(world, ib):
    ihp = _to_level_3(world, ib)
    h.evaluate(ihp, sufficient=True)
    missing = route.check(world.pupil, "to_care_team", actor_user=ib)
    assert any("too little result" in text for text in missing)


def test_consent_withdrawn_blocks_to_care_team_at_once(world, ib):
    ihp = _to_level_3(world, ib)
    registration = _care_team_evidence(world, ib, ihp)
    assert route.check(world.pupil, "to_care_team", actor_user=ib) == []
    h.consent(world.pupil, ib, decision="withdrawn", care_team_registration=registration)
    assert route.check(world.pupil, "to_care_team", actor_user=ib) == [
        "Anna de Vries withdrew their consent."
    ]
    with pytest.raises(route.MoveRefused) as refused:
        _move(world, "to_care_team", ib)
    assert refused.value.missing == ["Anna de Vries withdrew their consent."]
    assert route.current_level(world.pupil) == 3
    assert not CareTeamCase.objects.exists()


def test_consent_needs_a_guardian_with_parental_authority(world, ib):
    world.pupil.guardians.update(has_parental_authority=False)
    ihp = _to_level_3(world, ib)
    _care_team_evidence(world, ib, ihp)
    assert route.check(world.pupil, "to_care_team", actor_user=ib) == [
        "No guardian with parental authority is on record."
    ]


def test_evidence_older_than_the_entry_into_the_level_below_does_not_count(world, ib):
    _to_level_2(world, ib)
    _move(world, "other_down", ib, reason="Het gaat weer goed", to_level=1)
    missing = route.check(world.pupil, "register_pupil_meeting", actor_user=ib)
    assert len(missing) == 1
    assert missing[0].startswith("There is no submitted registration for a pupil meeting after")
    with pytest.raises(route.MoveRefused):
        _move(world, "register_pupil_meeting", ib)
    _to_level_2(world, ib)
    assert route.current_level(world.pupil) == 2


def test_down_and_up_again_needs_a_fresh_pupil_meeting_and_ihp(world, ib):
    _to_level_3(world, ib)
    _move(world, "other_down", ib, reason="Verhuisd en terug", to_level=2)
    # Last term's meeting and IHP were before the new entry into level 2.
    assert len(route.check(world.pupil, "start_ihp", actor_user=ib)) == 2
    item = h.signed_off_pupil_meeting(world, world.pupil, ib)
    h.started_ihp(world.pupil, ib, based_on=item)
    assert route.check(world.pupil, "start_ihp", actor_user=ib) == []


def test_goal_reached_needs_a_reason_and_from_the_ihp_an_evaluation_to_rejoin(world, ib):
    ihp = _to_level_3(world, ib)
    missing = route.check(world.pupil, "goal_reached", actor_user=ib, reason="")
    assert "Give the reason." in missing
    assert any("concluded that the pupil rejoins" in text for text in missing)
    h.evaluate(ihp, sufficient=True, outcome="rejoin")
    with pytest.raises(route.MoveRefused) as refused:
        _move(world, "goal_reached", ib)
    assert refused.value.missing == ["Give the reason."]
    event = _move(world, "goal_reached", ib, reason="Doelen behaald")
    assert (event.from_level, event.to_level) == (3, 1)


def test_goal_reached_from_level_2_needs_only_a_reason(world, ib):
    _to_level_2(world, ib)
    event = _move(world, "goal_reached", ib, reason="De vraag is beantwoord")
    assert (event.from_level, event.to_level, event.evidence) == (2, 1, [])


def test_from_the_care_team_only_a_closed_case_or_another_reason_goes_down(world, ib):
    _to_level_4(world, ib)
    missing = route.check(world.pupil, "goal_reached", actor_user=ib, reason="x")
    assert missing == [
        "From the care team the pupil goes back when the case is closed (case closed)."
    ]
    assert route.check(world.pupil, "case_closed", actor_user=ib) == [
        "The care-team case has not been closed."
    ]
    case = h.close_case(world.pupil)
    event = _move(world, "case_closed", ib)
    assert (event.from_level, event.to_level) == (4, 1)
    assert event.evidence[0]["kind"] == "care_team_case" and event.evidence[0]["id"] == case.pk


def test_other_down_needs_a_lower_level_and_a_reason(world, ib):
    _to_level_2(world, ib)
    with pytest.raises(route.MoveRefused) as refused:
        _move(world, "other_down", ib, to_level=2, reason="")
    assert refused.value.missing == [
        "Choose a level lower than the current one.",
        "Give the reason.",
    ]
    assert (
        route.check(world.pupil, "other_down", actor_user=ib, to_level=1, reason="Verhuizing") == []
    )


def test_no_level_is_skipped(world, ib):
    h.submitted_registration(world.pupil, ib)
    item = h.signed_off_pupil_meeting(world, world.pupil, ib)
    h.started_ihp(world.pupil, ib, based_on=item)
    missing = route.check(world.pupil, "start_ihp", actor_user=ib)
    assert missing == [
        "The pupil is at level 1 (group); this move starts from level 2 (pupil meeting)."
    ]
    with pytest.raises(route.MoveRefused):
        _move(world, "start_ihp", ib)
    assert route.current_level(world.pupil) == 1


def test_hgd_side_step_needs_consent_for_the_request(world, ib):
    from careroute.models import HGDRequest

    _to_level_2(world, ib)
    assert route.check(world.pupil, "hgd", actor_user=ib) == [
        "There is no diagnostics (HGD) request."
    ]
    request = HGDRequest.objects.create(
        pupil=world.pupil, question="Dyscalculie?", expert_name="Drs. Jansen", created_by=ib
    )
    assert route.check(world.pupil, "hgd", actor_user=ib) == ["Anna de Vries has not decided yet."]
    h.consent(world.pupil, ib, purpose="hgd", hgd_request=request)
    event = _move(world, "hgd", ib)
    assert (event.from_level, event.to_level) == (2, 2)
    assert event.evidence[0]["kind"] == "hgd_request"
    # The same request is not a second side step.
    assert route.check(world.pupil, "hgd", actor_user=ib) == [
        "There is no diagnostics (HGD) request."
    ]


def test_zat_side_step_needs_an_open_case_consent_and_a_reason(world, ib):
    _to_level_4(world, ib)
    missing = route.check(world.pupil, "zat", actor_user=ib, reason="")
    assert missing == ["Give the reason.", "Anna de Vries has not decided yet."]
    h.consent(world.pupil, ib, purpose="zat")
    event = _move(world, "zat", ib, reason="Zorgen thuis")
    assert (event.from_level, event.to_level) == (4, 4)
    handover = ZATHandover.objects.get(pupil=world.pupil)
    assert handover.reason == "Zorgen thuis"


# Who may move --------------------------------------------------------------------------------


def test_the_teacher_registers_but_does_not_start_an_ihp(world, teacher, ib):
    h.submitted_registration(world.pupil, teacher)
    _move(world, "register_pupil_meeting", teacher)
    item = h.signed_off_pupil_meeting(world, world.pupil, ib)
    h.started_ihp(world.pupil, ib, based_on=item)
    assert route.check(world.pupil, "start_ihp", actor_user=teacher) == [
        "You may not make this move for this pupil."
    ]
    with pytest.raises(route.MoveRefused):
        _move(world, "start_ihp", teacher)
    assert route.check(world.pupil, "start_ihp", actor_user=ib) == []


@pytest.mark.parametrize(
    "persona", ["director", "other_teacher", "other_school_ib", "school_admin"]
)
def test_others_make_no_move(world, persona):
    h.submitted_registration(world.pupil, world.users["teacher"])
    user = world.users[persona]
    for name in route.MOVES:
        assert route.check(world.pupil, name, actor_user=user) == [
            "You may not make this move for this pupil."
        ]


# The tab -------------------------------------------------------------------------------------


def _tab(world):
    return reverse("careroute:pupil_route", kwargs={"pk": world.pupil.pk})


def _move_url(world, name):
    return reverse("careroute:route_move", kwargs={"pk": world.pupil.pk, "move": name})


@pytest.fixture
def client_for(client_for, settings):
    """The pages in English (the footer's switch): the tests read the source strings."""

    def _client(persona):
        client = client_for(persona)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return _client


def test_the_tab_shows_the_level_the_history_and_what_is_missing(world, ib, client_for):
    _to_level_2(world, ib)
    page = client_for("care_coordinator").get(_tab(world))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'aria-current="step"' in body
    assert "Register for a pupil meeting" in body  # the history's step
    assert "Registration for a pupil meeting, submitted on" in body  # its evidence
    assert "Start the IHP" in body  # the next move, blocked
    assert "No pupil meeting signed off after" in body
    assert _move_url(world, "other_down") in body  # allowed now: a form
    assert _move_url(world, "start_ihp") not in body
    # Next to what the blocked step misses: where to make it.
    ihp_tab = reverse("pupil_dossier_tab", args=[world.pupil.pk, "ihp"])
    assert f'href="{ihp_tab}">To the tab “IHP and OPP”</a>' in body


def test_the_teacher_is_sent_to_the_registration(world, client_for):
    body = client_for("teacher").get(_tab(world)).content.decode()
    registration = reverse("meetings:registration_create", args=[world.pupil.pk])
    assert f'href="{registration}">Write a registration</a>' in body


def test_the_director_reads_the_tab_without_moves(world, ib, client_for):
    _to_level_2(world, ib)
    page = client_for("director").get(_tab(world))
    assert page.status_code == 200
    assert "You cannot move this pupil along the route." in page.content.decode()
    assert client_for("director").post(_move_url(world, "other_down")).status_code == 404


def test_another_school_gets_404(world, client_for):
    client = client_for("other_school_ib")
    assert client.get(_tab(world)).status_code == 404
    assert client.post(_move_url(world, "register_pupil_meeting")).status_code == 404


def test_an_unknown_move_is_404(world, client_for):
    assert client_for("care_coordinator").post(_move_url(world, "to_level_5")).status_code == 404


def test_the_teacher_moves_through_the_tab(world, teacher, client_for):
    h.submitted_registration(world.pupil, teacher)
    client = client_for("teacher")
    body = client.get(_tab(world)).content.decode()
    assert _move_url(world, "register_pupil_meeting") in body
    answer = client.post(
        _move_url(world, "register_pupil_meeting"),
        {"register_pupil_meeting-reason": "Tafels"},
        follow=True,
    )
    assert answer.redirect_chain[0] == (
        reverse("pupil_dossier_tab", kwargs={"pk": world.pupil.pk, "tab": "route"}),
        302,
    )
    assert "is now at level 2" in answer.content.decode()
    assert RouteEvent.objects.get().reason == "Tafels"


def test_a_refused_move_answers_422_with_the_reason_kept(world, ib, client_for):
    _to_level_2(world, ib)
    answer = client_for("care_coordinator").post(
        _move_url(world, "start_ihp"), {"start_ihp-reason": "Volgens afspraak <b>"}
    )
    assert answer.status_code == 422
    body = answer.content.decode()
    assert "Volgens afspraak &lt;b&gt;" in body
    assert "No pupil meeting signed off after" in body
    assert "No individual plan (IHP) has been started after" in body
    assert route.current_level(world.pupil) == 2


def test_a_move_without_its_required_reason_answers_422(world, ib, client_for):
    _to_level_2(world, ib)
    answer = client_for("care_coordinator").post(
        _move_url(world, "other_down"), {"other_down-reason": "", "other_down-to_level": "1"}
    )
    assert answer.status_code == 422
    assert route.current_level(world.pupil) == 2


def test_the_history_takes_a_fixed_number_of_queries(world, ib, client_for):
    client = client_for("director")
    _to_level_2(world, ib)
    client.get(_tab(world))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(_tab(world))
    for _ in range(5):
        _move(world, "other_down", ib, reason="Terug", to_level=1)
        _to_level_2(world, ib)
    with CaptureQueriesContext(connection) as many:
        client.get(_tab(world))
    assert len(many) == len(one)


def test_the_admin_shows_the_route_read_only(world, ib, client_for):
    _to_level_2(world, ib)
    client = client_for("superuser")
    found = CareRoute.objects.get()
    assert client.get(reverse("admin:careroute_careroute_changelist")).status_code == 200
    assert client.get(reverse("admin:careroute_careroute_add")).status_code == 403
    change = client.post(reverse("admin:careroute_careroute_change", args=[found.pk]), {"level": 5})
    assert change.status_code == 403
    found.refresh_from_db()
    assert found.level == 2
    assert (
        client.post(
            reverse("admin:careroute_routeevent_delete", args=[RouteEvent.objects.get().pk])
        ).status_code
        == 403
    )


def test_the_teacher_does_not_see_the_reason_and_evidence_of_a_diagnostics_step(
    world, ib, client_for
):
    from careroute.models import HGDRequest

    _to_level_2(world, ib)
    request = HGDRequest.objects.create(
        pupil=world.pupil, question="Dyscalculie?", expert_name="Drs. Jansen", created_by=ib
    )
    h.consent(world.pupil, ib, purpose="hgd", hgd_request=request)
    _move(world, "hgd", ib, reason="Vermoeden van dyscalculie")
    teacher_page = client_for("teacher").get(_tab(world)).content.decode()
    assert "Vermoeden van dyscalculie" not in teacher_page
    assert "Consent of Anna de Vries" not in teacher_page
    assert "Confidential; not shared with you" in teacher_page
    assert "Registration for a pupil meeting, submitted on" in teacher_page
    ib_page = client_for("care_coordinator").get(_tab(world)).content.decode()
    assert "Vermoeden van dyscalculie" in ib_page and "Consent of Anna de Vries" in ib_page


# Leaving level 4 ends the care team's case ---------------------------------------------------


def _member(world):
    from hgw.access import Actor

    return Actor(
        user=world.users["care_team_member"],
        school=world.school,
        roles=frozenset({"care_team_member"}),
    )


@pytest.mark.parametrize("to_level", [1, 2, 3])
def test_ib_moves_level_four_pupil_down_closes_the_case(world, ib, client_for, to_level):
    from careroute import cases
    from hgw.access import care_team_pupils_visible
    from meetings.models import MeetingItem
    from tests.careroute import care_team

    _to_level_4(world, ib)
    case = CareTeamCase.objects.get(pupil=world.pupil)
    # The case was opened today: the first meeting that may take it is today's.
    today = (timezone.localdate() - care_team.day(world, 0)).days
    upcoming = care_team.care_team_meeting(world, offset=today)
    item = cases.put_on_agenda(case=case, meeting=upcoming, by=ib)
    assert list(care_team_pupils_visible(_member(world))) == [world.pupil]
    answer = client_for("care_coordinator").post(
        _move_url(world, "other_down"),
        {"other_down-reason": "Doel behaald: Sanne leest vlot", "other_down-to_level": to_level},
    )
    assert answer.status_code == 302
    assert route.current_level(world.pupil) == to_level
    case.refresh_from_db()
    assert case.status == "closed" and case.closed_at is not None
    assert case.outcome == "Doel behaald: Sanne leest vlot"
    assert not MeetingItem.objects.filter(pk=item.pk).exists()
    assert not care_team_pupils_visible(_member(world)).exists()
    event = RouteEvent.objects.filter(pupil=world.pupil).latest("at", "pk")
    assert (event.move, event.from_level, event.to_level) == ("other_down", 4, to_level)
    [piece] = [piece for piece in event.evidence if piece["kind"] == "care_team_case"]
    assert piece["id"] == case.pk and piece["at"] == case.closed_at.isoformat()


def test_a_case_being_monitored_is_closed_too_when_the_pupil_steps_down(world, ib):
    from careroute import cases

    _to_level_4(world, ib)
    case = cases.set_monitoring(
        case=CareTeamCase.objects.get(pupil=world.pupil), since=timezone.localdate(), by=ib
    )
    _move(world, "other_down", ib, to_level=3, reason="Verhuisd naar een andere wijk")
    case.refresh_from_db()
    assert (case.status, case.outcome) == ("closed", "Verhuisd naar een andere wijk")
    # Back at level 3, the pupil climbs to the care team again with a new registration.
    assert route.check(world.pupil, "to_care_team", actor_user=ib) != []


def test_a_refused_step_down_leaves_the_case_open(world, ib):
    _to_level_4(world, ib)
    with pytest.raises(route.MoveRefused):
        _move(world, "other_down", ib, to_level=1, reason="   ")
    assert CareTeamCase.objects.get(pupil=world.pupil).status == "open"
