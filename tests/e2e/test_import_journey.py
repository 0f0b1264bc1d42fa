"""The IB imports the school's EDEXML export in the browser, checks the preview and confirms;
a teacher then finds a pupil's growth chart."""

import datetime
import re
from decimal import Decimal

from playwright.sync_api import expect

from pupils.models import Instrument
from pupils.models import TestResult as Result
from tests.conftest import PASSWORD
from tests.e2e.two_factor import pass_second_factor
from tests.pupils.test_imports import _edexml


def _log_in(page, live_server, email, second_factor=True):
    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    if second_factor:
        pass_second_factor(page, email)


def test_ib_imports_edexml_with_preview(
    transactional_db, world, live_server, page, problems, axe_check, tmp_path
):
    export = tmp_path / "export.xml"
    export.write_bytes(_edexml(world))
    _log_in(page, live_server, "care_coordinator@school.example")
    page.get_by_role("button", name="Beheer").click()
    page.get_by_role("link", name="Importeren").click()
    expect(page.get_by_role("heading", name="Importeren", level=1)).to_be_visible()
    axe_check()
    page.get_by_label(re.compile("Wat staat er in het bestand")).select_option("edexml")
    page.get_by_label("Bestand*", exact=True).set_input_files(str(export))
    page.get_by_role("button", name="Uploaden en controleren").click()

    expect(page.get_by_text("Leerlingen toegevoegd: 8")).to_be_visible()
    expect(page.get_by_text(re.compile("EDEXML bevat geen ouders"))).to_be_visible()
    axe_check()
    page.get_by_text("Leerlingen toegevoegd: 8").click()
    expect(page.get_by_text("Sanne de Vries")).to_be_visible()
    page.get_by_role("button", name="Importeren").click()
    expect(page.get_by_text("De import is ingelezen.")).to_be_visible()
    axe_check()


def test_teacher_sees_the_growth_chart(
    transactional_db, world, live_server, page, problems, axe_check
):
    rekenen = Instrument.objects.get(name="Cito Rekenen-Wiskunde", school=None)
    for n, (score, level) in enumerate([(98, "IV"), (112, "III"), (119, "III"), (131, "II")]):
        Result.objects.create(
            pupil=world.pupil,
            instrument=rekenen,
            date_taken=datetime.date(2024, 1, 20) + datetime.timedelta(days=180 * n),
            score=Decimal(score),
            level=level,
            moment=f"{'ME'[n % 2]}{4 + n // 2}",
        )
    _log_in(page, live_server, "teacher@school.example")
    page.get_by_role("link", name=re.compile("Groep 5")).click()
    page.get_by_role("link", name="Vries, Sanne de").click()
    page.get_by_role("link", name="Toetsen").click()
    chart = page.get_by_role("img", name=re.compile("Cito Rekenen-Wiskunde"))
    expect(chart).to_be_visible()
    expect(page.get_by_role("cell", name="131")).to_be_visible()
    axe_check()
