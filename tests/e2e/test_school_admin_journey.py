"""The school administration adds a substitute for a week; a bad date is explained and the
typed values stay; the substitute then sees the group."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from tests import factories
from tests.conftest import PASSWORD
from tests.e2e.two_factor import pass_second_factor


def test_admin_adds_a_substitute(transactional_db, world, live_server, page, problems, axe_check):
    substitute = factories.UserFactory(email="invaller@school.example", full_name="Iris Invaller")
    factories.MembershipFactory(user=substitute, school=world.school)
    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_label("E-mailadres").fill("school_admin@school.example")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    pass_second_factor(page, "school_admin@school.example")

    page.get_by_role("link", name="Groep 5").first.click()
    expect(page.get_by_role("heading", name="Groep 5", level=1)).to_be_visible()
    page.get_by_text("Leerkracht of invaller toevoegen").click()
    axe_check()
    today = timezone.localdate()
    page.get_by_label("Leerkracht*", exact=True).select_option(label="Iris Invaller")
    page.get_by_label("Vanaf").fill(today.isoformat())
    page.get_by_label("Tot en met").fill((today - datetime.timedelta(days=3)).isoformat())
    page.get_by_label("Invaller").check()
    page.get_by_role("button", name="Leerkracht toevoegen").click()

    # Refused with a Dutch message; nothing typed is lost.
    expect(page.get_by_text("De laatste dag kan niet voor de eerste dag liggen.")).to_be_visible()
    expect(page.get_by_label("Vanaf")).to_have_value(today.isoformat())
    expect(page.get_by_label("Invaller")).to_be_checked()
    axe_check()
    page.get_by_label("Tot en met").fill((today + datetime.timedelta(days=4)).isoformat())
    page.get_by_role("button", name="Leerkracht toevoegen").click()
    expect(page.get_by_text("De leerkracht is aan de groep toegevoegd.")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Iris Invaller \(invaller\)"))).to_be_visible()

    # The substitute logs in and finds the group on their start page.
    page.get_by_role("button", name="School_Admin").click()
    page.get_by_role("button", name="Uitloggen").click()
    page.get_by_label("E-mailadres").fill("invaller@school.example")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("link", name=re.compile("Groep 5"))).to_be_visible()
