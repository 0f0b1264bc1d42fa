"""The demo path on the embedded default (SQLite): migrate, seed_demo, log in, a few pages.

Runs in a separate process with its own SQLite file, so the embedded default cannot rot
while the rest of the suite runs on PostgreSQL.
"""

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

SCRIPT = """
import django
django.setup()
from django.core.management import call_command
from django.test import Client
from django.test.utils import setup_test_environment

call_command("migrate", verbosity=0)
call_command("seed_demo", verbosity=0)
call_command("seed_demo", verbosity=0)  # idempotent
call_command("seed_demo_overviews", verbosity=0)
call_command("seed_demo_overviews", verbosity=0)  # idempotent
call_command("seed_demo_meetings", verbosity=0)
call_command("seed_demo_meetings", verbosity=0)  # idempotent
call_command("seed_demo_careroute", verbosity=0)
call_command("seed_demo_careroute", verbosity=0)  # idempotent
from careroute.models import IHP, CareRoute, CareTeamCase, DataPoint, RouteEvent
from meetings.models import MeetingItem
# Submitting a registration took each pupil to level 2: two still there (one on an agenda,
# one waiting); one back at 1 after a pupil meeting found the group plan enough; one waiting
# for the IHP (2), one with a running IHP (3), one before the care team (4).
assert sorted(CareRoute.objects.values_list("level", flat=True)) == [1, 2, 2, 2, 3, 4]
assert RouteEvent.objects.count() == 10
# No pupil at level 2 whose signed-off pupil meeting no longer counts (the old trap): the
# one whose meeting concluded an IHP is needed lacks only the started IHP.
from accounts.models import User
from careroute import route
ib_user = User.objects.get(email="ib@demo.hgw.nl")
waiting = [
    found.pupil
    for found in CareRoute.objects.filter(level=2).select_related("pupil")
    if MeetingItem.objects.filter(
        pupil=found.pupil, meeting__status="signed_off", outcome="ihp_needed"
    ).exists()
]
assert len(waiting) == 1
assert len(route.check(waiting[0], "start_ihp", actor_user=ib_user)) == 1
assert sorted(IHP.objects.values_list("status", flat=True)) == ["active", "evaluated"]
assert DataPoint.objects.filter(goal__ihp__status="active").count() >= 4
case = CareTeamCase.objects.get()
assert case.status == "open" and MeetingItem.objects.filter(
    meeting__kind="care_team", pupil=case.pupil
).exists()
from meetings.models import Meeting
kinds = sorted(Meeting.objects.values_list("kind", flat=True))
# Two upcoming pupil meetings; held and signed off, one six weeks ago and one five.
assert kinds.count("care_team") == 6 and kinds.count("pupil") == 4, kinds
assert Meeting.objects.filter(kind="pupil", status="signed_off").count() == 2
groups = Meeting.objects.exclude(group=None).values("group").distinct().count()
assert kinds.count("group") == 2 * groups, kinds
from groupplans.models import OfferTemplate
assert OfferTemplate.objects.count() == 15, OfferTemplate.objects.count()

setup_test_environment()
client = Client()
assert client.get("/").status_code == 302
login = client.get("/inloggen/")
assert login.status_code == 200 and "Inloggen" in login.content.decode()
response = client.post(
    "/inloggen/", {"username": "leerkracht@demo.hgw.nl", "password": "hgw-demo-2026"}
)
assert response.status_code == 302, response.status_code
home = client.get("/")
body = home.content.decode()
assert "Mijn groepen" in body and "Groep 5" in body, body[:500]
group = home.context["my_groups"][0]
page = client.get(f"/groepen/{group.pk}/")
assert page.status_code == 200 and len(page.context["pupils"]) >= 20
pupil = page.context["pupils"][0]
dossier = client.get(f"/leerlingen/{pupil.pk}/", follow=True)
assert dossier.status_code == 200 and pupil.family_name in dossier.content.decode()
overviews = client.get("/groepsoverzichten/")
assert overviews.status_code == 200 and "Groep 5" in overviews.content.decode()
mine = [o for o in overviews.context["page"] if o.group.name == "Groep 5"][0]
grid = client.get(f"/groepsoverzichten/{mine.pk}/?stap=2")
assert grid.status_code == 200 and len(grid.context["rows"]) >= 20
plan = client.get("/jaarplanning/")
assert plan.status_code == 200 and "Groep 5" in plan.content.decode()
actions = client.get("/acties/")
assert actions.status_code == 200 and "Stappenkaart" in actions.content.decode()
item = MeetingItem.objects.filter(
    meeting__kind="pupil", meeting__status="signed_off"
).earliest("meeting__date")
report = client.get(f"/besprekingspunten/{item.pk}/verslag.pdf")
assert report.status_code == 200 and report.content.startswith(b"%PDF"), report.status_code
client.logout()
assert client.post(
    "/inloggen/", {"username": "ib@demo.hgw.nl", "password": "hgw-demo-2026"}
).status_code == 302
ihp = IHP.objects.get(status="active")
page = client.get(f"/ihp/{ihp.pk}/")
assert page.status_code == 200 and "<svg" in page.content.decode()  # the data points' chart
assert "de aanpak bij te stellen" in page.content.decode()  # the hint: adjusting
route = client.get(f"/leerlingen/{ihp.pupil_id}/tab/route/")
assert route.status_code == 200 and "Naar het zorgteam" in route.content.decode()
client.logout()
# The care team's external member sees the pupil at level 4, and the selected IHP.
assert client.post(
    "/inloggen/", {"username": "zorgteam@demo.hgw.nl", "password": "hgw-demo-2026"}
).status_code == 302
home = client.get("/").content.decode()
assert case.pupil.full_name in home, home[-1500:]
evaluated = IHP.objects.get(status="evaluated")
assert client.get(f"/ihp/{evaluated.pk}/pdf/").status_code == 200
assert client.get(f"/ihp/{ihp.pk}/pdf/").status_code == 404
print("demo ok")
"""


def test_demo_runs_on_sqlite(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {
        "DJANGO_SETTINGS_MODULE": "hgw.settings",
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "ALLOWED_HOSTS": "testserver",
    }
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    assert "demo ok" in result.stdout
