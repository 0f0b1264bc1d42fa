"""Properties of the route under random histories: random actions by random people (the
teacher, the IB, the director) — consent given, refused and withdrawn, IHPs evaluated and
revised, the school starting or stopping to ask for an OPP before the care team — never skip a
level, a level changes only through an event,
every move was made exactly when `check` found nothing missing, and the route's level is
its last event's."""

import datetime
import itertools

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import event as note_event
from hypothesis import strategies as st

from careroute import ihp as ihp_actions
from careroute import route
from careroute.models import IHP, OPP, CareRoute, CareTeamCase, CareTeamRegistration, RouteEvent
from tests.careroute import route_helpers as h

ROLES = ["teacher", "care_coordinator", "director"]
OUTCOMES = ["plan_suffices", "ihp_needed", "investigate", "other"]

evidence = st.one_of(
    st.tuples(st.just("submit"), st.sampled_from(["teacher", "care_coordinator"])),
    st.tuples(st.just("meeting"), st.sampled_from(OUTCOMES)),
    st.tuples(st.just("start_ihp")),
    st.tuples(st.just("evaluate"), st.booleans()),
    st.tuples(st.just("register_care_team")),
    st.tuples(st.just("consent"), st.sampled_from(["given", "refused", "withdrawn"])),
    st.tuples(st.just("zat_consent")),
    st.tuples(st.just("document")),
    st.tuples(st.just("close_case")),
    st.tuples(st.just("revise")),
    st.tuples(st.just("opp_required"), st.booleans()),
    st.tuples(st.just("opp"), st.booleans()),
    # Everything the next level up needs at once (otherwise random histories rarely climb).
    st.tuples(st.just("ladder")),
    st.tuples(st.just("ladder")),
    st.tuples(st.just("ladder")),
)
UP = {1: "register_pupil_meeting", 2: "start_ihp", 3: "to_care_team", 4: "case_closed"}
moves = st.one_of(
    # The IB does all the next level needs and moves the pupil up.
    st.tuples(st.just("climb")),
    st.tuples(
        st.just("move"),
        # The moves up more often than the others, so that histories climb.
        st.sampled_from(
            [*sorted(route.MOVES), *(["register_pupil_meeting", "start_ihp", "to_care_team"] * 3)]
        ),
        st.sampled_from([*ROLES, "care_coordinator", "care_coordinator"]),
        st.integers(min_value=1, max_value=4),
    ),
)
# Each round: something happens, then someone tries a move.
steps = st.lists(st.tuples(evidence, moves), max_size=20).map(
    lambda rounds: [step for pair in rounds for step in pair]
)


def _do(world, step) -> None:
    pupil, ib = world.pupil, world.users["care_coordinator"]
    kind = step[0]
    if kind == "submit":
        h.submitted_registration(pupil, world.users[step[1]])
    elif kind == "meeting":
        h.signed_off_pupil_meeting(world, pupil, ib, outcome=step[1])
    elif kind == "start_ihp":
        h.started_ihp(pupil, ib)
    elif kind == "evaluate":
        ihp = IHP.objects.filter(pupil=pupil, status="active").order_by("-pk").first()
        if ihp is not None:
            h.evaluate(ihp, sufficient=step[1])
    elif kind == "register_care_team":
        h.care_team_registration(pupil, ib)
    elif kind in ("consent", "document"):
        registration = CareTeamRegistration.objects.filter(pupil=pupil).order_by("-pk").first()
        if registration is None:
            return
        if kind == "consent":
            h.consent(pupil, ib, decision=step[1], care_team_registration=registration)
        else:
            ihp = IHP.objects.filter(pupil=pupil).order_by("-pk").first()
            if ihp is not None:
                h.select_document(registration, ihp, ib)
    elif kind == "ladder":
        _ladder(world, route.current_level(pupil))
    elif kind == "zat_consent":
        h.consent(pupil, ib, purpose="zat")
    elif kind == "revise":
        evaluated = IHP.objects.filter(pupil=pupil, status="evaluated").order_by("-pk").first()
        if evaluated is not None:
            ihp_actions.revise_ihp(ihp=evaluated, by=ib)
    elif kind == "opp_required":
        pupil.school.opp_required_for_care_team = step[1]
        pupil.school.save(update_fields=["opp_required_for_care_team"])
    elif kind == "opp":
        _opp(world, agreed=step[1])
    elif (
        kind == "close_case"
        and CareTeamCase.objects.filter(pupil=pupil).exclude(status="closed").exists()
    ):
        h.close_case(pupil)


def _ladder(world, level: int) -> None:
    pupil, ib = world.pupil, world.users["care_coordinator"]
    if level == 1:
        h.submitted_registration(pupil, world.users["teacher"])
    elif level == 2:
        h.started_ihp(pupil, ib, based_on=h.signed_off_pupil_meeting(world, pupil, ib))
    elif level == 3:
        ihp = IHP.objects.filter(pupil=pupil, status="active").order_by("-pk").first()
        h.evaluate(ihp or h.started_ihp(pupil, ib), sufficient=False)
        registration = h.care_team_registration(pupil, ib)
        h.consent(pupil, ib, care_team_registration=registration)
        h.select_document(registration, IHP.objects.filter(pupil=pupil).latest("pk"), ib)
        if pupil.school.opp_required_for_care_team:
            _opp(world, agreed=True)
    elif level == 4 and CareTeamCase.objects.filter(pupil=pupil).exclude(status="closed"):
        h.close_case(pupil)


def _opp(world, *, agreed: bool) -> OPP:
    return OPP.objects.create(
        pupil=world.pupil,
        exit_level="vmbo-kb",
        rationale="Toetsen en observaties",
        support="Tafels oefenen",
        parents_agreed_on=datetime.date.today() if agreed else None,
        created_by=world.users["care_coordinator"],
    )


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(history=steps)
def test_random_histories_never_skip_a_level(world, history):
    pupil = world.pupil
    pupil.school.opp_required_for_care_team = False  # the examples share the world's objects
    with transaction.atomic():
        made, made_events = [], []
        level = route.current_level(pupil)
        for step in history:
            if step[0] == "climb":
                _ladder(world, level)
                step = ("move", UP[level], "care_coordinator", 1)
            if step[0] != "move":
                _do(world, step)
                assert route.current_level(pupil) == level, "a level changed without a move"
                continue
            _kind, name, role, to_level = step
            user = world.users[role]
            to_level = to_level if name == "other_down" else None
            reason = "Reden"
            missing = route.check(pupil, name, actor_user=user, reason=reason, to_level=to_level)
            try:
                event = route.move(
                    pupil=pupil, move_name=name, by=user, reason=reason, to_level=to_level
                )
            except route.MoveRefused as refused:
                assert missing, f"{name} by {role} refused although check found nothing missing"
                assert refused.missing == missing
                assert route.current_level(pupil) == level
                continue
            assert missing == [], f"{name} by {role} made although {missing}"
            made.append(event.pk)
            made_events.append(event)
            assert event.from_level == level
            level = route.current_level(pupil)
            assert event.to_level == level
        note_event(f"highest level reached: {max([1, *(e.to_level for e in made_events)])}")
        events = list(RouteEvent.objects.filter(pupil=pupil).order_by("at", "pk"))
        assert [event.pk for event in events] == made
        for event in events:
            assert event.to_level <= event.from_level + 1, f"{event} skipped a level"
            assert event.to_level <= 4, "no move into level 5 yet"
            if event.to_level > event.from_level:
                assert event.evidence, f"{event} moved up without evidence"
        for before, after in itertools.pairwise(events):
            assert after.from_level == before.to_level
        if events:
            assert CareRoute.objects.get(pupil=pupil).level == events[-1].to_level
        transaction.set_rollback(True)
