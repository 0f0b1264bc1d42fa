"""Logging in and out in the browser, as a person does: the password, then the second factor
where the role needs one."""

from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.e2e.two_factor import pass_second_factor


def log_in(page, live_server, email: str) -> None:
    page.goto(f"{live_server.url}/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    pass_second_factor(page, email)
    expect(page.get_by_role("button", name="Uitloggen", include_hidden=True)).to_have_count(1)


def log_out(page, name: str) -> None:
    """`name`: the person's name on the menu button."""
    page.get_by_role("button", name=name, exact=True).click()
    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_label("E-mailadres")).to_be_visible()
