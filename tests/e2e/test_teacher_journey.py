"""A teacher logs in, opens their group and a pupil; another group's pupil is not there for
them; the interface switches to English and back."""

import re

from playwright.sync_api import expect

from tests.conftest import PASSWORD


def _log_in(page, live_server, email):
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/inloggen/"))
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()


def test_teacher_opens_own_group_and_pupil(
    transactional_db, world, live_server, page, problems, axe_check
):
    page.goto(f"{live_server.url}/")
    axe_check()  # the login page
    _log_in(page, live_server, "teacher@school.example")

    expect(page.get_by_role("heading", name="Mijn groepen")).to_be_visible()
    axe_check()
    page.get_by_role("link", name=re.compile("Groep 5")).click()

    expect(page.get_by_role("heading", name="Groep 5", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Groep 6")).to_have_count(0)
    axe_check()
    page.get_by_role("link", name="Vries, Sanne de").click()

    expect(page.get_by_role("heading", name="Sanne de Vries")).to_be_visible()
    expect(page.get_by_role("link", name="Gegevens")).to_have_attribute("aria-current", "page")
    expect(page.get_by_text("Anna de Vries")).to_be_visible()
    axe_check()


def test_another_groups_pupil_is_not_found(
    transactional_db, world, live_server, page, problems, axe_check
):
    _log_in(page, live_server, "teacher@school.example")
    expect(page.get_by_role("heading", name="Mijn groepen")).to_be_visible()
    problems.expected.append("404")
    response = page.goto(f"{live_server.url}/leerlingen/{world.other_group_pupil.pk}/gegevens/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Niet gevonden")).to_be_visible()
    expect(page.get_by_text("Daan")).to_have_count(0)
    axe_check()


def test_language_switch_to_english_and_back(transactional_db, world, live_server, page, problems):
    _log_in(page, live_server, "teacher@school.example")
    expect(page.get_by_role("heading", name="Mijn groepen")).to_be_visible()
    page.get_by_label("Taal").select_option("en")
    page.get_by_role("button", name="Wisselen").click()
    expect(page.get_by_role("heading", name="My groups")).to_be_visible()
    expect(page.get_by_role("button", name="Log out", include_hidden=True)).to_have_count(1)
    page.get_by_label("Language").select_option("nl")
    page.get_by_role("button", name="Switch").click()
    expect(page.get_by_role("heading", name="Mijn groepen")).to_be_visible()
