"""The year plan in the browser: the IB plans the group meetings of a period, one date per
group, and finds them in the month view."""

import pytest
from playwright.sync_api import expect

from meetings.models import Meeting
from schools.actions import ensure_default_periods
from tests.e2e.session import log_in


@pytest.fixture
def period(world):
    return ensure_default_periods(school=world.school, school_year=world.group.school_year)[0]


def test_ib_plans_the_group_meetings_and_sees_them_in_the_month(
    transactional_db, world, period, live_server, page, problems, axe_check
):
    log_in(page, live_server, "care_coordinator@school.example")
    page.get_by_role("navigation").get_by_role("link", name="Jaarplanning").click()
    axe_check()
    page.get_by_role("link", name="Groepsbesprekingen plannen").click()
    page.get_by_label("Periode").select_option(str(period.pk))
    page.get_by_role("button", name="Kiezen").click()
    axe_check()

    groep5 = page.get_by_label("Groep 5", exact=True)
    groep6 = page.get_by_label("Groep 6", exact=True)
    day5 = groep5.input_value()
    assert day5, "each group's date is filled in already"
    groep6.fill("")  # Groep 6 later
    page.get_by_label("Begintijd").fill("14:30")
    page.get_by_role("button", name="Groepsbesprekingen plannen").click()

    # The month of the meeting, with the meeting on its day.
    expect(page.locator(".alert-success")).to_contain_text("1 groepsbespreking is gepland")
    cell = page.locator("table.month-calendar td").filter(has=page.locator(".calendar-meeting"))
    expect(cell).to_have_count(1)
    expect(cell.locator(".day-number")).to_contain_text(str(int(day5[-2:])))
    expect(cell.locator(".calendar-meeting")).to_have_text("14:30 Groepsbespreking Groep 5")
    axe_check()

    # The meeting's page: the group's teacher is asked too.
    cell.locator(".calendar-meeting").click()
    expect(page.get_by_role("heading", name="Groepsbespreking Groep 5")).to_be_visible()
    attendees = page.get_by_role("region", name="Deelnemers")
    expect(attendees.get_by_role("listitem").filter(has_text="Teacher")).to_be_visible()
    axe_check()
    assert list(Meeting.objects.values_list("group__name", flat=True)) == ["Groep 5"]
