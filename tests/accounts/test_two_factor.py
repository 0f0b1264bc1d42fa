"""Two-factor login: who needs it, setting it up, logging in with it, losing the phone."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role, SecurityEvent
from audit.protection import AuditTrailProtected
from tests import factories
from tests.conftest import PASSWORD, totp_code, totp_device

ALWAYS = [
    "care_coordinator",
    "director",
    "school_admin",
    "privacy_officer",
    "board",
    "care_team_member",
]


def _log_in(client: Client, email: str, follow: bool = False):
    return client.post(
        reverse("accounts:login"), {"username": email, "password": PASSWORD}, follow=follow
    )


def _verify(client: Client, code: str):
    return client.post(reverse("accounts:two_factor_verify"), {"code": code})


@pytest.mark.parametrize("persona", ALWAYS)
def test_these_roles_always_need_a_second_factor(persona, world):
    assert world.users[persona].requires_two_factor()


def test_teachers_need_it_when_their_school_asks(world):
    teacher = world.users["teacher"]
    assert not teacher.requires_two_factor()
    world.other_school.teachers_require_two_factor = True
    world.other_school.save()
    assert not teacher.requires_two_factor()  # another school's choice is not theirs
    world.school.teachers_require_two_factor = True
    world.school.save()
    assert teacher.requires_two_factor()


def test_platform_operators_need_it(world):
    assert world.users["superuser"].requires_two_factor()


def test_an_ended_role_no_longer_counts(world):
    ib = world.users["care_coordinator"]
    ib.memberships.update(end_date=ib.memberships.get().start_date)
    factories.MembershipFactory(user=ib, school=world.school, role=Role.TEACHER)
    assert not ib.requires_two_factor()


@pytest.mark.parametrize("persona", ["care_coordinator", "board"])
def test_without_a_device_the_password_leads_to_set_up_and_nowhere_else(persona, world, client):
    response = _log_in(client, f"{persona}@school.example", follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:two_factor_enrol"))
    for url in (reverse("home"), reverse("pupils:group_list"), reverse("accounts:two_factor")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:two_factor_enrol"))
    # Logging out and switching the language still work.
    assert client.post(reverse("set_language"), {"language": "en"}).status_code == 302
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("home"))["Location"].startswith(reverse("accounts:login"))


def test_a_teacher_logs_in_with_a_password_alone(world, client):
    _log_in(client, "teacher@school.example")
    assert client.get(reverse("home")).status_code == 200


def test_a_teacher_needs_it_once_the_school_asks(world, client):
    world.school.teachers_require_two_factor = True
    world.school.save()
    _log_in(client, "teacher@school.example")
    assert client.get(reverse("home"))["Location"].startswith(reverse("accounts:two_factor_enrol"))


def test_the_setting_off_lets_everyone_in_with_a_password(world, client, settings):
    settings.TWO_FACTOR_REQUIRED = False  # the demo (DEBUG)
    _log_in(client, "care_coordinator@school.example")
    assert client.get(reverse("home")).status_code == 200


def test_setting_up_with_a_real_code_then_backup_codes_shown_once(world, client):
    ib = world.users["care_coordinator"]
    _log_in(client, ib.email)
    page = client.get(reverse("accounts:two_factor_enrol"), {"next": "/groepen/"})
    assert page.status_code == 200
    body = page.content.decode()
    main = body[body.index("<main") : body.index("</main>")]
    assert "<svg" in main and "<script" not in main and "style=" not in main
    device = TOTPDevice.objects.get(user=ib, confirmed=False)
    # The key is shown for typing too, and reloading keeps it (the QR code already scanned).
    secret = re.search(r'id="totp-secret"[^>]*>([A-Z2-7 ]+)<', body).group(1)
    assert secret.replace(" ", "") in device.config_url
    assert client.get(reverse("accounts:two_factor_enrol")).context["secret"] == secret

    wrong = client.post(reverse("accounts:two_factor_enrol"), {"code": "000000"})
    assert wrong.status_code == 400 and not user_has_device(ib)
    device.refresh_from_db()
    device.throttle_reset()  # a wrong code makes the next try wait (django-otp's throttling)

    response = client.post(
        reverse("accounts:two_factor_enrol") + "?next=/groepen/", {"code": totp_code(device)}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor_backup_codes"))
    codes = client.get(response["Location"])
    assert codes.status_code == 200
    assert len(codes.context["codes"]) == 10
    assert codes.context["next"] == "/groepen/"
    assert StaticToken.objects.filter(device__user=ib).count() == 10
    # Shown once: the page has nothing to show any more.
    assert client.get(reverse("accounts:two_factor_backup_codes")).status_code == 302
    # Verified in this session: the app opens.
    assert client.get(reverse("home")).status_code == 200
    assert SecurityEvent.objects.get(user=ib).kind == SecurityEvent.Kind.TWO_FACTOR_ENROLLED


def test_with_a_device_the_password_leads_to_the_code(world, client):
    ib = world.users["care_coordinator"]
    device = totp_device(ib)
    response = _log_in(client, ib.email, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:two_factor_verify"))
    assert client.get(reverse("accounts:two_factor_enrol"))["Location"] == reverse(
        "accounts:two_factor"
    )  # no second device without the first
    assert client.get(reverse("home")).status_code == 302

    assert _verify(client, "123456").status_code == 400
    device.throttle_reset()  # a wrong code makes the next try wait (django-otp's throttling)
    before = client.session.session_key
    response = client.post(
        reverse("accounts:two_factor_verify") + "?next=/groepen/", {"code": totp_code(device)}
    )
    assert response.status_code == 302 and response["Location"] == "/groepen/"
    assert client.session.session_key != before  # a new session once fully logged in
    assert client.get(reverse("home")).status_code == 200


def test_a_code_is_accepted_once(world):
    ib = world.users["care_coordinator"]
    device = totp_device(ib)
    first, second = Client(), Client()
    _log_in(first, ib.email)
    _log_in(second, ib.email)
    code = totp_code(device)
    assert _verify(first, code).status_code == 302
    assert _verify(second, code).status_code == 400


def test_wrong_codes_slow_down_further_tries(world, client):
    ib = world.users["care_coordinator"]
    device = totp_device(ib)
    _log_in(client, ib.email)
    assert _verify(client, "000000").status_code == 400
    # Even the right code waits now.
    assert _verify(client, totp_code(device)).status_code == 400


def test_next_off_the_site_is_ignored(world, client):
    ib = world.users["care_coordinator"]
    device = totp_device(ib)
    _log_in(client, ib.email)
    response = client.post(
        reverse("accounts:two_factor_verify") + "?next=https://evil.example/",
        {"code": totp_code(device)},
    )
    assert response["Location"] == reverse("home")


def _enrol(client, user) -> list[str]:
    _log_in(client, user.email)
    client.get(reverse("accounts:two_factor_enrol"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    client.post(reverse("accounts:two_factor_enrol"), {"code": totp_code(device)})
    return client.get(reverse("accounts:two_factor_backup_codes")).context["codes"]


def test_a_backup_code_works_once(world, client):
    ib = world.users["care_coordinator"]
    codes = _enrol(client, ib)
    client.post(reverse("accounts:logout"))

    _log_in(client, ib.email)
    response = client.post(reverse("accounts:two_factor_verify"), {"code": codes[0].upper()})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("accounts:logout"))

    _log_in(client, ib.email)
    assert _verify(client, codes[0]).status_code == 400
    assert StaticToken.objects.filter(device__user=ib).count() == 9


def test_removing_ones_own_second_factor_asks_the_password(world, client):
    ib = world.users["care_coordinator"]
    _enrol(client, ib)
    refused = client.post(reverse("accounts:two_factor_remove"), {"password": "not-it"})
    assert refused.status_code == 400 and user_has_device(ib)

    response = client.post(reverse("accounts:two_factor_remove"), {"password": PASSWORD})
    assert response["Location"] == reverse("accounts:two_factor_enrol")
    assert not user_has_device(ib)
    assert client.get(reverse("home"))["Location"].startswith(reverse("accounts:two_factor_enrol"))
    event = SecurityEvent.objects.filter(user=ib).first()
    assert event.kind == SecurityEvent.Kind.TWO_FACTOR_REMOVED and event.by == ib


def test_a_teacher_may_set_it_up_and_then_uses_it(world, client):
    teacher = world.users["teacher"]
    _enrol(client, teacher)
    client.post(reverse("accounts:logout"))
    _log_in(client, teacher.email)
    assert client.get(reverse("home"))["Location"].startswith(reverse("accounts:two_factor_verify"))


def test_the_school_admin_resets_a_teachers_lost_phone(
    world, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    world.school.teachers_require_two_factor = True
    world.school.save()
    teacher = world.users["teacher"]
    teacher_client = Client()
    _enrol(teacher_client, teacher)
    assert teacher_client.get(reverse("home")).status_code == 200

    admin = client_for("school_admin")
    detail = admin.get(reverse("accounts:staff_detail", kwargs={"user_pk": teacher.pk}))
    reset_url = reverse("accounts:staff_two_factor_reset", kwargs={"user_pk": teacher.pk})
    assert reset_url in detail.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(reset_url)
    assert response.status_code == 302
    assert not user_has_device(teacher)

    event = SecurityEvent.objects.filter(user=teacher).first()
    assert event.kind == SecurityEvent.Kind.TWO_FACTOR_RESET
    assert event.by == world.users["school_admin"]
    page = admin.get(reverse("accounts:staff_detail", kwargs={"user_pk": teacher.pk}))
    assert "School_Admin" in page.content.decode()  # who reset it, on the person's page

    # The person is told, by e-mail: by whom, and where to turn if they did not ask for it.
    (message,) = mailoutbox
    assert message.to == [teacher.email]
    assert "School_Admin" in message.body and "Sanne" not in message.body

    # The open session lost its second factor: set up again before anything else.
    assert teacher_client.get(reverse("home"))["Location"].startswith(
        reverse("accounts:two_factor_enrol")
    )


@pytest.mark.parametrize("person", ["care_coordinator", "director"])
def test_the_school_admin_cannot_reset_the_second_factor_of_an_ib_or_director(
    world, client_for, person, mailoutbox, django_capture_on_commit_callbacks
):
    user = world.users[person]
    totp_device(user)
    admin = client_for("school_admin")
    reset_url = reverse("accounts:staff_two_factor_reset", kwargs={"user_pk": user.pk})
    page = admin.get(reverse("accounts:staff_detail", kwargs={"user_pk": user.pk}))
    assert reset_url not in page.content.decode()  # no button
    with django_capture_on_commit_callbacks(execute=True):
        assert admin.post(reset_url).status_code == 404  # and a forged POST is refused
    assert user_has_device(user)
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.TWO_FACTOR_RESET).exists()
    assert mailoutbox == []


def test_the_school_admin_cannot_reset_a_teacher_who_is_ib_at_another_school(world, client_for):
    teacher = world.users["teacher"]
    factories.MembershipFactory(user=teacher, school=world.other_school, role=Role.CARE_COORDINATOR)
    totp_device(teacher)
    url = reverse("accounts:staff_two_factor_reset", kwargs={"user_pk": teacher.pk})
    assert client_for("school_admin").post(url).status_code == 404
    assert user_has_device(teacher)


@pytest.mark.parametrize("resetter", ["care_coordinator", "privacy_officer"])
def test_another_ib_or_the_privacy_officer_resets_an_ibs_lost_phone(
    world, client_for, resetter, mailoutbox, django_capture_on_commit_callbacks
):
    ib = factories.UserFactory(email="ib2@school.example", full_name="Tweede Ib")
    factories.MembershipFactory(user=ib, school=world.school, role=Role.CARE_COORDINATOR)
    totp_device(ib)
    client = client_for(resetter)
    reset_url = reverse("accounts:staff_two_factor_reset", kwargs={"user_pk": ib.pk})
    page = client.get(reverse("accounts:staff_detail", kwargs={"user_pk": ib.pk}))
    assert reset_url in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reset_url).status_code == 302
    assert not user_has_device(ib)
    event = SecurityEvent.objects.get(user=ib)
    assert event.kind == SecurityEvent.Kind.TWO_FACTOR_RESET and event.by == world.users[resetter]
    (message,) = mailoutbox
    assert message.to == ["ib2@school.example"]
    assert world.users[resetter].full_name in message.body


def test_the_ib_cannot_reset_a_teachers_second_factor(world, client_for):
    teacher = world.users["teacher"]
    totp_device(teacher)
    url = reverse("accounts:staff_two_factor_reset", kwargs={"user_pk": teacher.pk})
    assert client_for("care_coordinator").post(url).status_code == 404
    assert user_has_device(teacher)


def test_the_school_admin_resets_only_staff_of_their_own_school(world, client_for):
    outsider = world.users["other_school_ib"]
    totp_device(outsider)
    admin = client_for("school_admin")
    url = reverse("accounts:staff_two_factor_reset", kwargs={"user_pk": outsider.pk})
    assert admin.post(url).status_code == 404
    assert user_has_device(outsider)
    assert not SecurityEvent.objects.exists()


def test_the_school_admin_does_not_reset_their_own(world, client_for):
    admin_user = world.users["school_admin"]
    admin = client_for("school_admin")
    admin.post(reverse("accounts:staff_two_factor_reset", kwargs={"user_pk": admin_user.pk}))
    assert user_has_device(admin_user)


def test_the_ib_does_not_reset_their_own_from_the_staff_page(world, client_for):
    ib = world.users["care_coordinator"]
    client = client_for("care_coordinator")
    url = reverse("accounts:staff_two_factor_reset", kwargs={"user_pk": ib.pk})
    assert client.post(url).status_code == 404
    assert user_has_device(ib)


def test_security_events_are_append_only(world):
    event = SecurityEvent.objects.create(
        user=world.users["teacher"], kind=SecurityEvent.Kind.TWO_FACTOR_ENROLLED
    )
    with pytest.raises(AuditTrailProtected):
        event.save()
    with pytest.raises(AuditTrailProtected):
        event.delete()


def test_the_school_admin_asks_it_of_teachers(world, client_for):
    admin = client_for("school_admin")
    url = reverse("accounts:school_security")
    assert admin.get(url).status_code == 200
    assert admin.post(url, {"teachers_require_two_factor": "on"}).status_code == 302
    # Who changed it is kept, and shown on the page.
    change = world.school.history.filter(history_type="~").get()
    assert change.history_user == world.users["school_admin"]
    assert change.teachers_require_two_factor is True
    assert world.users["school_admin"].full_name in admin.get(url).content.decode()
    world.school.refresh_from_db()
    assert world.school.teachers_require_two_factor
    world.other_school.refresh_from_db()
    assert not world.other_school.teachers_require_two_factor


def test_the_qr_code_carries_the_issuer_and_no_inline_style(world, client):
    _log_in(client, "director@school.example")
    body = client.get(reverse("accounts:two_factor_enrol")).content.decode()
    svg = body[body.index("<svg") : body.index("</svg>")]
    assert "style" not in svg and "script" not in svg
    device = TOTPDevice.objects.get(user=world.users["director"])
    assert device.config_url.startswith("otpauth://totp/hgw%3Adirector%40school.example?")
    assert "issuer=hgw" in device.config_url


def test_admin_pages_need_the_second_factor_too(world, client):
    operator = world.users["superuser"]
    operator.set_password(PASSWORD)
    operator.save()
    client.post(reverse("admin:login"), {"username": operator.email, "password": PASSWORD})
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:two_factor_enrol")


def test_device_keys_are_not_in_the_admin(world, client_for):
    from django.contrib import admin

    assert not admin.site.is_registered(TOTPDevice)
