"""The IB sets up two-factor login at the first login, then logs in with a code from the app;
both pages pass axe and show no script errors (no inline script or style: strict CSP)."""

from playwright.sync_api import expect

from tests.e2e.test_import_journey import _log_in
from tests.e2e.two_factor import SECOND_STEP, pass_second_factor


def test_ib_sets_up_the_app_and_logs_in_with_its_code(
    transactional_db, world, live_server, page, problems, axe_check
):
    email = "care_coordinator@school.example"
    _log_in(page, live_server, email, second_factor=False)
    pass_second_factor(page, email, axe_check=axe_check)  # set up: QR code, key, backup codes
    expect(page.get_by_role("button", name="Uitloggen", include_hidden=True)).to_have_count(1)
    page.goto(f"{live_server.url}/")
    expect(page).not_to_have_url(SECOND_STEP)

    page.context.clear_cookies()
    _log_in(page, live_server, email, second_factor=False)
    pass_second_factor(page, email, axe_check=axe_check)  # the code from the app
    page.goto(f"{live_server.url}/groepen/")
    expect(page.get_by_role("link", name="Groep 5").first).to_be_visible()
