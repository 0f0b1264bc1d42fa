"""The demo school's care route (run after `seed_demo_meetings`; see `seed_demo_careroute`):
the Groep 5 pupil whose registration is on the first pupil meeting's agenda is moved to level
2 by their teacher, through the route's own `move`, so the route tab has a history to show.
The rest of the route (IHP, care team) is for the person trying the demo to do."""

from django.db import transaction

from accounts.models import User
from audit.history import acting_as
from careroute import route
from careroute.models import RouteEvent
from meetings.models import MeetingKind, Registration
from schools.models import School

DEMO_BRIN = "99AA"
DEMO_TEACHER = "leerkracht@demo.hgw.nl"


@transaction.atomic
def seed() -> int:
    """Returns how many route steps were made (0 when the school has a route already)."""
    school = School.objects.filter(brin=DEMO_BRIN, dependance_code="").first()
    teacher = User.objects.filter(email=DEMO_TEACHER).first()
    if school is None or teacher is None:
        return 0
    if RouteEvent.objects.filter(pupil__school=school).exists():
        return 0
    registration = (
        Registration.objects.submitted()
        .filter(
            school=school,
            item__meeting__kind=MeetingKind.PUPIL,
            item__meeting__status="planned",
        )
        .select_related("pupil")
        .order_by("submitted_at")
        .first()
    )
    if registration is None:
        return 0
    with acting_as(teacher):
        route.move(
            pupil=registration.pupil,
            move_name="register_pupil_meeting",
            by=teacher,
            reason="Aangemeld voor de leerlingbespreking van december.",
        )
    return 1
