"""The consent rule is stated twice: in Python (`careroute.consent.consent_state`, read by the
route's guards, the agendas and the pages) and in SQL (`hgw.access._consented_cases`, what the
external care-team member may see). Both run here over the same decisions — given, refused and
withdrawn in different date and recording orders, ended or not, dated after the day asked
about, by several guardians with and without parental authority — and must agree, and agree
with the rule written out plainly (`care_team.stands_by_decision_date`)."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from careroute.consent import consent_state
from careroute.models import CareTeamCase, CareTeamRegistration, Consent
from hgw.access import Actor, care_team_pupils_visible
from pupils.models import Guardian
from tests.careroute import care_team

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()

# One decision: which guardian, what, how many days before today it was made (negative: after
# today), and when it ends (None, or days before today). The list order is the recording order.
decisions = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=2),
        st.sampled_from(["given", "refused", "withdrawn"]),
        st.integers(min_value=-2, max_value=4),
        st.one_of(st.none(), st.integers(min_value=-3, max_value=2)),
    ),
    max_size=7,
)
authorities = st.lists(st.booleans(), min_size=1, max_size=3)


def _member(world) -> Actor:
    return Actor(
        user=world.users["care_team_member"],
        school=world.school,
        roles=frozenset({"care_team_member"}),
        today=TODAY,
    )


def _setting(world, authority: list[bool], rows: list[tuple]):
    """A case for the world's pupil, the guardians (the world's Anna first) and the rows."""
    pupil, ib = world.pupil, world.users["care_coordinator"]
    guardians = [pupil.guardians.get()]
    for n in range(1, len(authority)):
        guardians.append(Guardian.objects.create(pupil=pupil, name=f"Ouder {n}", relation="parent"))
    for guardian, has in zip(guardians, authority, strict=True):
        guardian.has_parental_authority = has
        guardian.save()
    registration = CareTeamRegistration.objects.create(
        pupil=pupil, question="Vraag", parents_involved="Samen", created_by=ib
    )
    CareTeamCase.objects.create(pupil=pupil, registration=registration)
    for who, decision, days_ago, ends in rows:
        decided_on = TODAY - datetime.timedelta(days=days_ago)
        end_date = None if ends is None else TODAY - datetime.timedelta(days=ends)
        Consent.objects.create(
            pupil=pupil,
            guardian=guardians[who % len(guardians)],
            purpose="care_team",
            care_team_registration=registration,
            decision=decision,
            decided_on=decided_on,
            end_date=end_date if end_date is None or end_date >= decided_on else decided_on,
            how="conversation",
            recorded_by=ib,
        )
    return registration


def _answers(world, registration) -> tuple[bool, bool, bool]:
    python = consent_state(world.pupil, "care_team", on=TODAY, registration=registration).stands
    sql = care_team_pupils_visible(_member(world)).filter(pk=world.pupil.pk).exists()
    return python, sql, care_team.stands_by_decision_date(world.pupil, registration, TODAY)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(authority=authorities, rows=decisions)
def test_python_and_sql_agree_on_when_consent_stands(world, authority, rows):
    with transaction.atomic():
        registration = _setting(world, authority, rows)
        python, sql, plainly = _answers(world, registration)
        assert python == sql == plainly, (python, sql, plainly)
        transaction.set_rollback(True)


# Named cases, so that the agreement is not only about histories where consent never stands.
CASES = {
    "given": ([True], [(0, "given", 3, None)], True),
    "withdrawn later, given typed in after it with an earlier date": (
        [True],
        [(0, "given", 4, None), (0, "withdrawn", 1, None), (0, "given", 3, None)],
        False,
    ),
    "given later, typed in before an earlier withdrawal": (
        [True],
        [(0, "given", 1, None), (0, "withdrawn", 3, None)],
        True,
    ),
    "same day: the one recorded last": (
        [True],
        [(0, "given", 2, None), (0, "refused", 2, None), (0, "given", 2, None)],
        True,
    ),
    "same day, withdrawn last": ([True], [(0, "given", 2, None), (0, "withdrawn", 2, None)], False),
    "ended yesterday": ([True], [(0, "given", 4, 1)], False),
    "ends today": ([True], [(0, "given", 4, 0)], True),
    "a withdrawal dated tomorrow does not count yet": (
        [True],
        [(0, "given", 3, None), (0, "withdrawn", -1, None)],
        True,
    ),
    "only a given dated tomorrow": ([True], [(0, "given", -1, None)], False),
    "two holders, one decided": ([True, True], [(0, "given", 3, None)], False),
    "two holders, both gave": ([True, True], [(0, "given", 3, None), (1, "given", 2, None)], True),
    "the one without authority refused": (
        [True, False],
        [(0, "given", 3, None), (1, "refused", 1, None)],
        True,
    ),
    "nobody with authority": ([False], [(0, "given", 3, None)], False),
}


@pytest.mark.parametrize("name", list(CASES))
def test_the_named_cases_agree(world, name):
    authority, rows, stands = CASES[name]
    registration = _setting(world, authority, rows)
    assert _answers(world, registration) == (stands, stands, stands)
