"""The parents' right of access: the export holds everything the care route keeps on the
pupil (its steps, consent, the care team, IHPs with goals and data points, OPPs, HGD)."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from careroute import route
from careroute.models import OPP, DataPoint, HGDRequest, IHPGoal
from tests.careroute import route_helpers

pytestmark = pytest.mark.django_db


def test_the_export_holds_the_care_route(world, client_for):
    pupil, ib, teacher = world.pupil, world.users["care_coordinator"], world.users["teacher"]
    route_helpers.submitted_registration(pupil, teacher)
    route.move(pupil=pupil, move_name="register_pupil_meeting", by=teacher, reason="Hulpvraag")
    ihp = route_helpers.started_ihp(pupil, ib)
    goal = IHPGoal.objects.create(ihp=ihp, term="short", description="Tafels van 6 en 7")
    DataPoint.objects.create(goal=goal, date=timezone.localdate(), value=12, recorded_by=ib)
    registration = route_helpers.care_team_registration(pupil, ib)
    route_helpers.consent(pupil, ib, care_team_registration=registration)
    OPP.objects.create(pupil=pupil, exit_level="1F", rationale="Groeit gestaag", created_by=ib)
    HGDRequest.objects.create(
        pupil=pupil, question="Waarom traag?", expert_name="Drs. Jansen", created_by=ib
    )

    response = client_for("care_coordinator").get(reverse("trail:export_json", args=[pupil.pk]))
    data = json.loads(response.content)["care_route"]
    assert [(e["move"], e["to_level"], e["reason"]) for e in data["events"]] == [
        ("register_pupil_meeting", 2, "Hulpvraag")
    ]
    assert [c["decision"] for c in data["consents"]] == ["given"]
    assert data["care_team_registrations"][0]["question"] == registration.question
    (exported,) = data["ihps"]
    assert exported["goals"][0]["description"] == "Tafels van 6 en 7"
    assert exported["goals"][0]["data_points"][0]["value"] == "12"
    assert data["opps"][0]["rationale"] == "Groeit gestaag"
    assert data["diagnostics"][0]["question"] == "Waarom traag?"
    pdf = client_for("care_coordinator").get(reverse("trail:export_pdf", args=[pupil.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
