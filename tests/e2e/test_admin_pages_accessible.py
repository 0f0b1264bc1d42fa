"""The pages of the IB and the school administration pass axe and show no script errors."""

import re

from playwright.sync_api import expect

from tests.conftest import totp_device
from tests.e2e.test_import_journey import _log_in


def test_ib_pages(transactional_db, world, live_server, page, problems, axe_check):
    totp_device(world.users["care_coordinator"])  # the app set up before: the code is asked
    _log_in(page, live_server, "care_coordinator@school.example")
    page.get_by_role("button", name="Beheer").click()
    page.get_by_role("link", name="Audittrail").click()
    expect(page.get_by_role("heading", name="Audittrail", level=1)).to_be_visible()
    axe_check()
    page.get_by_role("link", name="Wijzigingen").click()
    axe_check()
    page.goto(f"{live_server.url}/groepen/{world.group.pk}/")
    page.get_by_role("link", name="Vries, Sanne de").click()
    page.get_by_role("link", name=re.compile("Wie heeft de gegevens")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("ingezien")
    expect(page.get_by_text("Sanne de Vries").first).to_be_visible()
    axe_check()
    page.get_by_role("button", name="Beheer").click()
    page.get_by_role("link", name="Bewaartermijn").click()
    axe_check()
    page.goto(f"{live_server.url}/toetsen/")
    axe_check()
    page.goto(f"{live_server.url}/leerlingen/{world.pupil.pk}/toetsen/invoeren/")
    axe_check()


def test_school_admin_pages(transactional_db, world, live_server, page, problems, axe_check):
    _log_in(page, live_server, "school_admin@school.example")
    page.get_by_role("button", name="Beheer").click()
    page.get_by_role("link", name="Medewerkers").click()
    axe_check()
    page.get_by_role("link", name="Persoon toevoegen").click()
    axe_check()
    page.goto(f"{live_server.url}/groepen/nieuw-schooljaar/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("voorbereiden")
    axe_check()
    page.goto(f"{live_server.url}/leerlingen/{world.pupil.pk}/ouders/toevoegen/")
    axe_check()
