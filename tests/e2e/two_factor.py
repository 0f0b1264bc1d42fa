"""The second step of logging in, in the browser: setting up the authenticator app from the
key the page shows, or typing the code of the app the person already has."""

import base64
import re
import time

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from accounts.models import User
from tests.conftest import totp_code

SECOND_STEP = re.compile(r"/tweestaps/(instellen|controleren)/")


def _submit(page) -> None:
    page.locator("main #submit-id-submit").click()


def pass_second_factor(page, email: str, axe_check=None) -> None:
    """After the password: nothing for a person who needs no second factor; otherwise set up
    the app (reading the key off the page, as a person would type it) or type its code."""
    user = User.objects.get(email=email)
    if not user.requires_two_factor() and not TOTPDevice.objects.filter(user=user).exists():
        return
    page.wait_for_url(SECOND_STEP)
    if axe_check:
        axe_check()
    if "/instellen/" in page.url:
        secret = page.locator("#totp-secret").inner_text().replace(" ", "")
        key = base64.b32decode(secret + "=" * (-len(secret) % 8))
        totp = TOTP(key)
        totp.time = time.time()
        page.locator("input[name=code]").fill(f"{totp.token():06d}")
        _submit(page)
        expect(page.locator("main .backup-codes li")).to_have_count(10)
        if axe_check:
            axe_check()
        page.locator("main a.btn-primary").click()
    else:
        page.locator("input[name=code]").fill(totp_code(TOTPDevice.objects.get(user=user)))
        _submit(page)
    expect(page).not_to_have_url(SECOND_STEP)
