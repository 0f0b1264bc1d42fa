"""Submitting a registration for a pupil meeting is the care route's step from level 1 to
level 2 (domain.md: the pupil "is registered for a pupil meeting with the teacher's question
for help").

`meetings` sits below `careroute` and never imports it: its registration pages submit through
`meetings.registrations.submit`, which calls the submitter registered here when the app is
ready (careroute/apps.py). So one action, in one transaction, submits the registration and
moves the pupil, with the registration as the move's evidence. When the person may not take
the step (the route table's roles) or the pupil is not at level 1, the registration is just
submitted; a registration submitted before this step existed still has its button on the
route tab.
"""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from careroute import route
from careroute.models import Level, RouteEvent
from meetings import registrations
from meetings.models import Registration

STEP = "register_pupil_meeting"


@transaction.atomic
def submit_registration(
    *, registration: Registration, by, today: datetime.date | None = None
) -> tuple[Registration, RouteEvent | None]:
    """Submit the draft and, when `by` may take the step and the pupil is at level 1, move
    the pupil to level 2. Returns the registration and the move (None: just submitted)."""
    submitted = registrations.submit_registration(registration=registration, by=by)
    pupil = submitted.pupil
    if route.current_level(pupil) != Level.GROUP:
        return submitted, None
    if route.check(pupil, STEP, actor_user=by, today=today):
        return submitted, None
    try:
        event = route.move(pupil=pupil, move_name=STEP, by=by, today=today)
    except route.MoveRefused:
        # Someone moved the pupil meanwhile (checked again under the route's lock).
        return submitted, None
    return submitted, event


def submit_for_meetings(
    *, registration: Registration, by, today: datetime.date | None = None
) -> tuple[Registration, str]:
    """The submitter `meetings` calls: the registration, and a line for the person when the
    pupil moved."""
    submitted, event = submit_registration(registration=registration, by=by, today=today)
    if event is None:
        return submitted, ""
    return submitted, _("%(pupil)s is now at level %(level)s (%(name)s) of the care route.") % {
        "pupil": submitted.pupil.full_name,
        "level": event.to_level,
        "name": Level(event.to_level).label,
    }
