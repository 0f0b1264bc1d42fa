"""Evidence for the route, built through the actions (meetings) and the models (careroute)."""

import datetime

from django.utils import timezone

from careroute.models import (
    IHP,
    CareTeamCase,
    CareTeamRegistration,
    CaseDocument,
    Consent,
)
from meetings import actions, registrations


def submitted_registration(pupil, by, question="Hoe leert Sanne de tafels?"):
    found = registrations.start_registration(
        pupil=pupil, question=question, tried="Verlengde instructie", by=by
    )
    return registrations.submit_registration(registration=found, by=by)


def signed_off_pupil_meeting(world, pupil, ib, outcome="ihp_needed", registration=None):
    """A pupil meeting with the pupil's (fresh) registration on it, held and signed off."""
    day = world.group.school_year.start_date + datetime.timedelta(days=30)
    meeting = actions.plan_meeting(school=world.school, kind="pupil", date=day, by=ib)
    registration = registration or submitted_registration(pupil, ib)
    item = registrations.attach_registration(meeting=meeting, registration=registration, by=ib)
    actions.save_item(item=item, values={"outcome": outcome}, seen_version=item.version, by=ib)
    actions.mark_held(meeting=meeting, by=ib, today=day)
    actions.sign_off(meeting=meeting, by=ib)
    item.refresh_from_db()
    return item


def started_ihp(pupil, ib, based_on=None):
    return IHP.objects.create(
        pupil=pupil,
        based_on=based_on,
        status="active",
        started_at=timezone.now(),
        starting_situation="Sanne rekent traag.",
        created_by=ib,
    )


def evaluate(ihp, *, sufficient: bool, outcome: str = ""):
    ihp.status = "evaluated"
    ihp.evaluated_at = timezone.now()
    ihp.result_sufficient = sufficient
    ihp.outcome = outcome or ("rejoin" if sufficient else "external")
    ihp.version += 1
    ihp.save()
    return ihp


def care_team_registration(pupil, ib, question="Wat heeft Sanne nodig om tot rust te komen?"):
    return CareTeamRegistration.objects.create(
        pupil=pupil, question=question, parents_involved="Gesprek met moeder", created_by=ib
    )


def consent(pupil, ib, decision="given", purpose="care_team", **scope):
    for guardian in pupil.guardians.filter(has_parental_authority=True):
        Consent.objects.create(
            pupil=pupil,
            guardian=guardian,
            purpose=purpose,
            decision=decision,
            decided_on=timezone.localdate(),
            how="conversation",
            recorded_by=ib,
            **scope,
        )


def select_document(registration, ihp, ib):
    return CaseDocument.objects.create(
        registration=registration, kind="ihp", ihp=ihp, title="IHP rekenen", selected_by=ib
    )


def close_case(pupil, outcome="Het gaat goed; de aanpak werkt blijvend."):
    case = CareTeamCase.objects.exclude(status="closed").get(pupil=pupil)
    case.status = "closed"
    case.closed_at = timezone.now()
    case.outcome = outcome
    case.save()
    return case
