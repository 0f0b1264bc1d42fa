"""Hostile text stored in pupil data never runs in the browser.

Names, guardians, a group, a test and a result carry script and event-handler payloads (as a
hostile import file or a careless paste could leave them). The IB opens every main page that
shows them; the test fails on any script that runs (an alert, or the `window.__pwned` marker
the payloads set), on any CSP violation or console error (the `problems` fixture), and when
a payload is not shown as the plain text it is.
"""

import datetime
import re

import pytest
from playwright.sync_api import expect

from pupils.models import Guardian, ImportRecord, Instrument
from pupils.models import TestResult as Result
from tests.e2e.session import log_in
from tests.security.hostile import IMG_ONERROR, PWNED_ATTRIBUTE, PWNED_IMG, PWNED_SVG, SCRIPT

MOMENT = "<i>M4</i>"  # results' moments are short: markup that shows when it is not escaped
LEVEL = "<b>I</b>"
# What the payloads would put in the page if they were not escaped.
HANDLERS = "[onerror], [onload], [onfocus], main img[src='x']"
MARKUP_TEXT = re.compile(r"^(I|M4)$")


@pytest.fixture
def hostile_world(transactional_db, world):
    pupil = world.pupil
    pupil.given_name = PWNED_IMG
    pupil.family_name = SCRIPT
    pupil.save()
    Guardian.objects.create(
        pupil=pupil, name=IMG_ONERROR, relation="other", phone=PWNED_ATTRIBUTE[:40]
    )
    world.group.name = PWNED_SVG
    world.group.save()
    instrument = Instrument.objects.create(
        school=world.school, name=PWNED_IMG, subject="maths", score_kind="ability_score"
    )
    for day, score in ((datetime.date(2025, 1, 20), 40), (datetime.date(2025, 6, 10), 48)):
        Result.objects.create(
            pupil=pupil,
            instrument=instrument,
            date_taken=day,
            score=score,
            moment=MOMENT,
            level=LEVEL,
        )
    ImportRecord.objects.create(
        school=world.school,
        kind="results_csv",
        file_name=f"{SCRIPT}.csv",
        status="mapping",
        created_by=world.users["care_coordinator"],
        data={
            "headers": ["Leerlingnummer", PWNED_IMG],
            "rows": [[2, {"Leerlingnummer": SCRIPT, PWNED_IMG: IMG_ONERROR}]],
            "problems": [],
        },
        options={"columns": {}},
    )
    return world


def test_hostile_pupil_data_is_shown_as_text_and_never_runs(
    hostile_world, live_server, page, problems
):
    world = hostile_world
    dialogs = []

    def on_dialog(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    log_in(page, live_server, "care_coordinator@school.example")
    record = ImportRecord.objects.get()
    pages = {
        "group": (f"/groepen/{world.group.pk}/", [PWNED_SVG, PWNED_IMG, SCRIPT]),
        "gegevens": (f"/leerlingen/{world.pupil.pk}/gegevens/", [SCRIPT, IMG_ONERROR]),
        "toetsen": (f"/leerlingen/{world.pupil.pk}/toetsen/", [PWNED_IMG, MOMENT]),
        "pupil list": ("/leerlingen/", [SCRIPT]),
        "import list": ("/importeren/", [f"{SCRIPT}.csv"]),
        "import columns": (f"/importeren/{record.pk}/kolommen/", [PWNED_IMG, SCRIPT]),
        "guardian form": (
            f"/leerlingen/{world.pupil.pk}/ouders/{world.pupil.guardians.get(relation='other').pk}/",
            [],
        ),
        "home": ("/", [PWNED_SVG]),
    }
    for name, (path, shown) in pages.items():
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, name
        page.wait_for_load_state("networkidle")
        text = page.locator("main").inner_text()
        for value in shown:
            assert value in text, f"{name}: {value!r} is not shown as text"
        assert page.evaluate("window.__pwned") is None, f"{name}: a payload ran"
        assert dialogs == [], f"{name}: a payload opened {dialogs}"
        expect(page.locator(HANDLERS)).to_have_count(0)
        expect(page.locator("main b, main i").filter(has_text=MARKUP_TEXT)).to_have_count(0)
    # The search echoes what was typed; that must stay text too.
    page.goto(f"{live_server.url}/leerlingen/")
    page.get_by_label("Zoeken op naam").fill(PWNED_ATTRIBUTE[:100])
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_label("Zoeken op naam")).to_have_value(PWNED_ATTRIBUTE)
    assert page.evaluate("window.__pwned") is None
    assert dialogs == []
    expect(page.locator(HANDLERS)).to_have_count(0)
