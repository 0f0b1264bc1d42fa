"""The group overview in the browser: a teacher fills it in with the keyboard only, confirms
a suggested signal and sends it to the IB, who opens it; and two people editing the same
row, where the second sees both versions and loses nothing."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from groupplans import actions
from groupplans.models import OverviewRow, OverviewStatus
from pupils.models import Instrument
from schools.actions import ensure_default_periods
from tests import factories
from tests.e2e.session import log_in
from tests.groupplans.conftest import add_result


@pytest.fixture
def overview(world):
    """Groep 5 with two pupils, both with a maths result that suggests a signal."""
    period = ensure_default_periods(school=world.school, school_year=world.group.school_year)[0]
    mila = factories.PupilFactory(school=world.school, given_name="Mila", family_name="Bakker")
    factories.EnrolmentFactory(pupil=mila, group=world.group, start_date=period.start_date)
    maths = Instrument.objects.get(name="Cito Rekenen-Wiskunde")
    day = period.start_date + datetime.timedelta(days=30)
    add_result(world.pupil, maths, day, score=180, level="V")
    add_result(mila, maths, day, score=190, level="IV")
    overview = actions.create_overview(group=world.group, period=period, by=world.users["teacher"])
    overview.mila = mila
    # Row ids looked up once: the test reads the database only when the browser is done.
    overview.row_ids = dict(overview.rows.values_list("pupil_id", "pk"))
    return overview


def _cell(page, overview, pupil, field):
    return page.locator(f"#id_r{overview.row_ids[pupil.pk]}-{field}")


def _state(page, overview, pupil):
    return page.locator(f"#state-{overview.row_ids[pupil.pk]}")


def test_teacher_fills_in_with_the_keyboard_and_sends_to_the_ib(
    transactional_db, world, overview, live_server, page, problems, axe_check, browser
):
    sanne, mila = world.pupil, overview.mila
    log_in(page, live_server, "teacher@school.example")
    page.get_by_role("link", name="Groepsoverzicht", exact=True).click()
    expect(page.get_by_role("heading", name="Groepsoverzicht Groep 5")).to_be_visible()
    axe_check()

    # Step 1: factors. Mila (Bakker) is the first row, Sanne (de Vries) the second.
    _cell(page, overview, mila, "stimulating").focus()
    page.keyboard.type("Werkt zelfstandig")
    page.keyboard.press("Tab")
    expect(_cell(page, overview, mila, "hindering")).to_be_focused()
    page.keyboard.type("Faalangstig bij toetsen")
    page.keyboard.press("Enter")  # the same column, next row
    expect(_cell(page, overview, sanne, "hindering")).to_be_focused()
    page.keyboard.type("Snel afgeleid")
    page.keyboard.press("ArrowLeft")  # not at the start of the text: stays in the cell
    expect(_cell(page, overview, sanne, "hindering")).to_be_focused()
    page.keyboard.press("Home")
    page.keyboard.press("ArrowLeft")  # at the start: the cell to the left
    expect(_cell(page, overview, sanne, "stimulating")).to_be_focused()
    page.keyboard.type("Leest graag")
    page.keyboard.press("ArrowUp")  # a one-line cell: the row above
    expect(_cell(page, overview, mila, "stimulating")).to_be_focused()
    for pupil in (mila, sanne):
        expect(_state(page, overview, pupil)).to_contain_text("Opgeslagen")

    # Step 2: confirm the suggested signals.
    page.get_by_role("link", name="Stap 2 · signaleren").click()
    for _ in range(2):
        button = page.get_by_role("button", name="Signalering bevestigen").first
        button.focus()
        page.keyboard.press("Enter")
        expect(page.get_by_role("status").filter(has_text="is gesignaleerd")).to_be_visible()
    expect(page.get_by_role("button", name="Signalering bevestigen")).to_have_count(0)
    axe_check()

    # Step 3: needs, for the two signalled pupils.
    page.get_by_role("link", name="Stap 3 · onderwijsbehoeften").click()
    _cell(page, overview, mila, "need_instruction").focus()
    page.keyboard.type("heeft verlengde instructie nodig")
    page.keyboard.press("Tab")
    page.keyboard.type("heeft korte opdrachten nodig")
    page.keyboard.press("Enter")
    expect(_cell(page, overview, sanne, "need_assignments")).to_be_focused()
    page.keyboard.type("heeft opdrachten met een stappenplan nodig")
    page.keyboard.press("Shift+Tab")
    page.keyboard.type("heeft instructie aan de instructietafel nodig")
    page.keyboard.press("Enter")  # the last row: leaves the cell, which saves it
    for pupil in (mila, sanne):
        expect(_state(page, overview, pupil)).to_contain_text("Opgeslagen")
    axe_check()

    # Everything is there after a reload.
    page.reload()
    expect(_cell(page, overview, sanne, "need_instruction")).to_have_value(
        "heeft instructie aan de instructietafel nodig"
    )
    saved = OverviewRow.objects.get(overview=overview, pupil=mila)
    assert saved.stimulating == "Werkt zelfstandig"
    assert saved.hindering == "Faalangstig bij toetsen"
    assert saved.signalled and "Cito Rekenen-Wiskunde" in saved.signal_reason
    assert saved.need_assignments == "heeft korte opdrachten nodig"

    # Send it to the IB with a question.
    page.get_by_role("link", name="Naar de IB sturen").click()
    page.get_by_label("Vragen en bespreekpunten").fill("Hoe pak ik rekenen aan met Mila?")
    page.get_by_role("button", name="Naar de IB sturen").click()
    expect(page.get_by_text("verstuurd naar de IB").first).to_be_visible()
    overview.refresh_from_db()
    assert overview.status == OverviewStatus.SENT

    # The IB opens it.
    ib = browser.new_context(locale="en-US").new_page()
    log_in(ib, live_server, "care_coordinator@school.example")
    ib.get_by_role("link", name="Groepsoverzichten").click()
    ib.get_by_role("link", name="Groep 5").click()
    expect(ib.get_by_text("Hoe pak ik rekenen aan met Mila?")).to_be_visible()
    expect(ib.locator(f"#row-{overview.row_ids[mila.pk]}")).to_contain_text("Bakker, Mila")
    ib.context.close()


def test_two_people_edit_the_same_row_and_nothing_is_lost(
    transactional_db, world, overview, live_server, page, problems, browser
):
    sanne = world.pupil
    log_in(page, live_server, "teacher@school.example")
    url = f"{live_server.url}/groepsoverzichten/{overview.pk}/?stap=1"
    page.goto(url)
    ib = browser.new_context(locale="en-US").new_page()
    log_in(ib, live_server, "care_coordinator@school.example")
    ib.goto(url)

    # The teacher saves first.
    _cell(page, overview, sanne, "hindering").fill("Tekst van de leerkracht")
    _cell(page, overview, sanne, "hindering").press("Tab")
    expect(_state(page, overview, sanne)).to_contain_text("Opgeslagen")

    # The IB's save was made over the version before it: refused, both versions shown.
    _cell(ib, overview, sanne, "hindering").fill("Tekst van de IB")
    _cell(ib, overview, sanne, "hindering").press("Tab")
    expect(_state(ib, overview, sanne)).to_contain_text("Niet opgeslagen")
    conflict = ib.locator(f"#conflict-{overview.row_ids[sanne.pk]}")
    expect(conflict).to_contain_text("Tekst van de leerkracht")
    expect(conflict).to_contain_text("Tekst van de IB")
    expect(_cell(ib, overview, sanne, "hindering")).to_have_value("Tekst van de IB")
    row = OverviewRow.objects.get(pk=overview.row_ids[sanne.pk])
    assert row.hindering == "Tekst van de leerkracht"

    # Having seen the other version, the IB keeps theirs, combined.
    _cell(ib, overview, sanne, "hindering").fill("Tekst van de leerkracht. Tekst van de IB")
    _cell(ib, overview, sanne, "hindering").press("Tab")
    expect(_state(ib, overview, sanne)).to_contain_text(re.compile("^Opgeslagen"))
    row.refresh_from_db()
    assert row.hindering == "Tekst van de leerkracht. Tekst van de IB"
    ib.context.close()


def test_without_javascript_a_row_is_saved_with_its_button(
    transactional_db, world, overview, live_server, browser
):
    page = browser.new_context(locale="en-US", java_script_enabled=False).new_page()
    log_in(page, live_server, "teacher@school.example")
    page.goto(f"{live_server.url}/groepsoverzichten/{overview.pk}/?stap=1")
    _cell(page, overview, world.pupil, "stimulating").fill("Vertelt graag over thuis")
    page.locator(f"#rowform-{overview.row_ids[world.pupil.pk]} button").click()
    expect(page.get_by_text("De rij van Sanne de Vries is opgeslagen.")).to_be_visible()
    expect(_cell(page, overview, world.pupil, "stimulating")).to_have_value(
        "Vertelt graag over thuis"
    )
    page.context.close()
