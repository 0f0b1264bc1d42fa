"""Properties of the route under random histories: random actions by random people (the
teacher, the IB, the director) — consent given, refused and withdrawn (also with backdated
decision dates), guardians with parental authority added or given it, IHPs evaluated and
revised, cases put on care-team agendas, monitored and closed, the school starting or stopping
to ask for an OPP before the care team, moves down from level 4 — never skip a level, a level
changes only through an event, every move was made exactly when `check` found nothing
missing, and the route's level is its last event's. After every step: a pupil below level 4
has no case that is not closed; the external care-team member sees the pupil exactly while a
case that is not closed has consent standing by decision date; no care-team meeting not yet
signed off has the pupil on its agenda without such a case. At the end: every step's evidence
is dated inside the window it claims (after the entry into the level it leaves, not after the
step)."""

import contextlib
import datetime
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import event as note_event
from hypothesis import strategies as st

from careroute import cases, consents, route
from careroute import ihp as ihp_actions
from careroute.models import IHP, OPP, CareRoute, CareTeamCase, CareTeamRegistration, RouteEvent
from hgw.access import Actor, care_team_pupils_visible
from meetings.models import MeetingItem
from pupils import actions as pupil_actions
from pupils.models import Guardian, PupilLogEntry
from tests.careroute import care_team
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
    # Through the actions, as the IB does it: one guardian's decision, dated up to two months
    # back; a guardian added (with or without parental authority) or given/denied it by an
    # edit; the case put on the next care-team agenda.
    st.tuples(
        st.just("decide"),
        st.sampled_from(["given", "refused", "withdrawn"]),
        st.integers(min_value=0, max_value=60),
        st.integers(min_value=0, max_value=2),
    ),
    st.tuples(st.just("guardian"), st.booleans()),
    st.tuples(st.just("guardian"), st.just(True)),
    st.tuples(st.just("guardian"), st.just(True)),
    st.tuples(st.just("authority"), st.integers(min_value=0, max_value=2), st.booleans()),
    st.tuples(st.just("agenda")),
    st.tuples(st.just("agenda")),
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
    # The IB moves the pupil down (from level 4 too), to a random lower level.
    st.tuples(
        st.just("move"),
        st.just("other_down"),
        st.just("care_coordinator"),
        st.integers(min_value=1, max_value=3),
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
            # Every guardian with parental authority decides today, through the action.
            for which, guardian in enumerate(Guardian.objects.filter(pupil=pupil).order_by("pk")):
                if guardian.has_parental_authority:
                    _decide(world, step[1], 0, which)
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
    elif kind == "close_case":
        _close_case(world)
    elif kind == "decide":
        _decide(world, *step[1:])
    elif kind == "guardian":
        world.guardians += 1
        guardian = Guardian(
            pupil=pupil,
            name=f"Voogd {world.guardians}",
            relation="guardian",
            has_parental_authority=step[1],
        )
        pupil_actions.save_guardian(guardian=guardian, by=ib)
    elif kind == "authority":
        guardians = list(Guardian.objects.filter(pupil=pupil).order_by("pk"))
        guardian = guardians[step[1] % len(guardians)]
        guardian.has_parental_authority = step[2]
        pupil_actions.save_guardian(guardian=guardian, by=ib)
    elif kind == "agenda":
        case = CareTeamCase.objects.filter(pupil=pupil, status="open").first()
        if case is not None:
            with contextlib.suppress(ValidationError):  # e.g. consent does not stand
                cases.put_on_agenda(case=case, meeting=world.care_team_meeting, by=ib)


def _close_case(world) -> None:
    """The IB follows the case up (monitoring), then closes it, through the actions."""
    ib = world.users["care_coordinator"]
    case = CareTeamCase.objects.filter(pupil=world.pupil).exclude(status="closed").first()
    if case is None:
        return
    if case.status == "open":
        case = cases.set_monitoring(case=case, since=timezone.localdate(), by=ib)
    cases.close_case(case=case, outcome="Het gaat goed; de aanpak werkt blijvend.", by=ib)


def _decide(world, decision: str, days_back: int, which: int) -> None:
    """One guardian's decision about the latest care-team registration, recorded through the
    action (which may refuse it: dated before that guardian's latest decision)."""
    pupil, ib = world.pupil, world.users["care_coordinator"]
    registration = CareTeamRegistration.objects.filter(pupil=pupil).order_by("-pk").first()
    if registration is None:
        return
    guardians = list(Guardian.objects.filter(pupil=pupil).order_by("pk"))
    decided_on = timezone.localdate() - datetime.timedelta(days=days_back)
    try:
        with transaction.atomic():
            entry = PupilLogEntry.objects.create(
                pupil=pupil, date=decided_on, kind="parents", notes="Gesprek", author=ib
            )
            consents.record_consent(
                pupil=pupil,
                guardian=guardians[which % len(guardians)],
                purpose="care_team",
                decision=decision,
                decided_on=decided_on,
                how="conversation",
                by=ib,
                registration=registration,
                log_entry=entry,
            )
    except ValidationError:
        note_event("a decision refused")


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
    elif level == 4:
        _close_case(world)


def _opp(world, *, agreed: bool) -> OPP:
    return OPP.objects.create(
        pupil=world.pupil,
        exit_level="vmbo-kb",
        rationale="Toetsen en observaties",
        support="Tafels oefenen",
        parents_agreed_on=datetime.date.today() if agreed else None,
        created_by=world.users["care_coordinator"],
    )


def _member(world) -> Actor:
    return Actor(
        user=world.users["care_team_member"],
        school=world.school,
        roles=frozenset({"care_team_member"}),
    )


def _check_the_care_team(world, member: Actor, step) -> None:
    """The invariants of the care team after every step."""
    pupil, today = world.pupil, timezone.localdate()
    not_closed = list(CareTeamCase.objects.filter(pupil=pupil).exclude(status="closed"))
    if route.current_level(pupil) < 4:
        assert not not_closed, f"below level 4 with a case not closed, after {step}"
    consented = any(
        care_team.stands_by_decision_date(pupil, case.registration, today) for case in not_closed
    )
    sees = care_team_pupils_visible(member).filter(pk=pupil.pk).exists()
    assert sees == consented, f"the member sees the pupil: {sees}, consented: {consented}, {step}"
    on_agenda = MeetingItem.objects.filter(
        pupil=pupil, meeting__kind="care_team", meeting__status__in=cases.OPEN_AGENDA
    ).exists()
    assert consented or not on_agenda, f"on a care-team agenda without consent, after {step}"


def _moment(text: str, event: RouteEvent):
    """A piece's moment, comparable with the event's."""
    at = datetime.datetime.fromisoformat(text)
    if at.tzinfo is None:  # a date
        return at.date(), timezone.localtime(event.at).date()
    return at, event.at


# What the route takes as it was, without a window: the parents' consent (for the
# registration, or for the ZAT) and the OPP (it runs for years).
NO_WINDOW = {"consent", "opp"}


def _check_evidence_windows(events: list[RouteEvent]) -> None:
    """Every piece is dated no later than its step; a step that changes the level relies on
    nothing older than the pupil's entry into the level it leaves."""
    entered: dict[int, datetime.datetime] = {}
    for event in events:
        since = entered.get(event.from_level)
        for piece in event.evidence:
            if piece.get("at") is None:
                continue
            at, when = _moment(piece["at"], event)
            assert at <= when, f"{event.move}: {piece['kind']} dated after the step"
            if event.to_level == event.from_level or piece["kind"] in NO_WINDOW:
                continue
            if since is not None:
                assert at > _moment(since.isoformat(), event)[0], (
                    f"{event.move}: {piece['kind']} older than the entry into "
                    f"level {event.from_level}"
                )
        if event.to_level != event.from_level:
            entered[event.to_level] = event.at


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(start=st.sampled_from([1, 2, 3, 4, 4, 4]), history=steps)
# The holes found by trying hgw as its users would, played every run: the IB steps the pupil
# down from the care team; a "given" dated before a withdrawal is typed in after it; a second
# guardian with parental authority is added.
@example(start=4, history=[("move", "other_down", "care_coordinator", 1)])
@example(start=4, history=[("decide", "withdrawn", 0, 0), ("decide", "given", 36, 0)])
@example(start=4, history=[("guardian", True)])
def test_random_histories_never_skip_a_level(world, start, history):
    # Half the histories start at the care team, the case on the next agenda: most of what can
    # go wrong with consent, guardians and steps down happens there.
    history = [("climb",)] * (start - 1) + ([("agenda",)] if start == 4 else []) + history
    pupil = world.pupil
    pupil.school.opp_required_for_care_team = False  # the examples share the world's objects
    member = _member(world)
    with transaction.atomic():
        world.guardians = 0
        world.care_team_meeting = care_team.care_team_meeting(world, offset=60, attend=False)
        made, made_events = [], []
        level = route.current_level(pupil)
        done = "the start"
        for step in history:
            _check_the_care_team(world, member, done)
            done = step
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
        _check_the_care_team(world, member, "the end")
        _check_evidence_windows(events)
        transaction.set_rollback(True)
