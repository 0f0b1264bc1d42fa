"""Building blocks of the care-team tests: a registration and its case (made directly, as the
route's "to_care_team" move will), consent given or withdrawn through `record_consent`, and
care-team meetings the care-team member attends."""

import datetime

from django.utils import timezone

from careroute import consents
from careroute.models import CareTeamCase, CareTeamRegistration, Consent
from meetings import actions
from pupils.models import Guardian, PupilLogEntry


def ib(world):
    return world.users["care_coordinator"]


def registration(world, pupil=None) -> CareTeamRegistration:
    pupil = pupil or world.pupil
    found = CareTeamRegistration.objects.filter(pupil=pupil).order_by("-pk").first()
    return found or CareTeamRegistration.objects.create(
        pupil=pupil,
        question="Hoe helpen we Sanne bij het lezen?",
        parents_involved="Samen met moeder opgesteld.",
        created_by=ib(world),
    )


def case(world, pupil=None) -> CareTeamCase:
    """The pupil's case, opened on the first day of the school year (before every care-team
    meeting these tests plan: none before the opening can take the case)."""
    found = registration(world, pupil)
    existing = CareTeamCase.objects.filter(registration=found).first()
    return existing or opened_on(
        CareTeamCase.objects.create(pupil=found.pupil, registration=found), day(world, 0)
    )


def opened_on(found: CareTeamCase, when: datetime.date) -> CareTeamCase:
    """The case as opened on `when` (the route opens it at the moment of the step)."""
    found.opened_at = timezone.make_aware(datetime.datetime.combine(when, datetime.time(9)))
    found.save(update_fields=["opened_at"])
    return found


def decide(world, decision="given", guardian=None, pupil=None, **extra):
    """A guardian's decision about the care team, taken in a conversation (noted in the log)."""
    pupil = pupil or world.pupil
    guardian = guardian or Guardian.objects.filter(pupil=pupil).order_by("pk").first()
    entry = PupilLogEntry.objects.create(
        pupil=pupil,
        date=datetime.date.today(),
        kind="parents",
        notes="Gesprek over het zorgteam.",
        author=ib(world),
    )
    return consents.record_consent(
        pupil=pupil,
        guardian=guardian,
        purpose="care_team",
        decision=decision,
        decided_on=extra.pop("decided_on", datetime.date.today()),
        how="conversation",
        by=ib(world),
        registration=registration(world, pupil),
        log_entry=entry,
        **extra,
    )


def day(world, offset: int) -> datetime.date:
    return world.group.school_year.start_date + datetime.timedelta(days=offset)


def care_team_meeting(world, offset=60, attend=True):
    meeting = actions.plan_meeting(
        school=world.school, kind="care_team", date=day(world, offset), by=ib(world)
    )
    if attend:
        actions.add_attendee(meeting=meeting, user=world.users["care_team_member"], by=ib(world))
    return meeting


def sign_off(world, meeting):
    for item in meeting.items.all():
        if not item.advice:
            actions.save_item(
                item=item, values={"advice": "Advies"}, seen_version=item.version, by=ib(world)
            )
    actions.mark_held(meeting=meeting, by=ib(world), today=meeting.date)
    return actions.sign_off(meeting=meeting, by=ib(world))


def consented_case_on_agenda(world, offset=60):
    """An open case with consent, on a care-team meeting the care-team member attends."""
    found = case(world)
    decide(world)
    meeting = care_team_meeting(world, offset)
    item = actions.add_care_team_item(
        meeting=meeting, pupil=world.pupil, documents=[], by=ib(world)
    )
    return found, meeting, item


def stands_by_decision_date(pupil, registration, today: datetime.date) -> bool:
    """The consent rule written out plainly, as the oracle of the tests: every guardian with
    parental authority (at least one) has, among their decisions for the registration made by
    `today`, as the one with the latest decision date (on a tie the one recorded last) a
    "given" that has not ended."""
    holders = list(Guardian.objects.filter(pupil=pupil, has_parental_authority=True))
    if not holders:
        return False
    for guardian in holders:
        made = [
            c
            for c in Consent.objects.filter(guardian=guardian, care_team_registration=registration)
            if c.decided_on <= today
        ]
        if not made:
            return False
        standing = max(made, key=lambda c: (c.decided_on, c.recorded_at, c.pk))
        if standing.decision != "given" or (standing.end_date and standing.end_date < today):
            return False
    return True
