"""Persona fixtures shared by every test: one school with its people, and outsiders."""

from dataclasses import dataclass

import pytest

from accounts.models import Membership, Role
from tests import factories

PASSWORD = "correct-horse-battery"


@dataclass
class World:
    """A small school: group A (teacher) and group B (other teacher), a pupil in each, and a
    second school with its own IB and pupil."""

    school: object
    other_school: object
    group: object
    other_group: object
    pupil: object
    other_group_pupil: object
    other_school_pupil: object
    other_school_group: object
    users: dict  # persona name -> user


PERSONAS = [
    "anonymous",
    "teacher",
    "other_teacher",
    "care_coordinator",
    "director",
    "care_team_member",
    "school_admin",
    "privacy_officer",
    "board",
    "other_school_ib",
    "superuser",
]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is deliberately slow; tests build many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_lockout(settings):
    """Tests log in and fail to log in often; the lockout has tests of its own that switch
    it back on (tests/accounts/test_lockout.py)."""
    settings.AXES_ENABLED = False


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files (HGD reports, consent forms) go to the test's own folder, never to
    var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _two_factor_on(settings):
    """Tests run as production does, whatever DEBUG says: the roles that need it log in with
    a second factor (client_for passes it for them; tests/accounts/test_two_factor.py tests
    the pages)."""
    settings.TWO_FACTOR_REQUIRED = True


def totp_device(user):
    """A confirmed authenticator-app device for `user` (the existing one, if any)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="app", confirmed=True)


def totp_code(device) -> str:
    """The code the person's app would show now; the next one once this one has been used
    (django-otp accepts each time step once, and one step ahead)."""
    import time

    from django_otp.oath import TOTP

    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if totp.t() <= device.last_t:
        totp.time += device.step
    return f"{totp.token():0{device.digits}d}"


def pass_second_factor(client, user) -> None:
    """Mark the client's session as verified with a second factor, as django_otp.login does
    after the verification page (the device's persistent id under otp_device_id)."""
    from django_otp import DEVICE_ID_SESSION_KEY

    session = client.session
    session[DEVICE_ID_SESSION_KEY] = totp_device(user).persistent_id
    session.save()


def force_login(client, user) -> None:
    """client.force_login, with the second factor passed when the person's role needs it."""
    client.force_login(user)
    if user.requires_two_factor():
        pass_second_factor(client, user)


@pytest.fixture
def world(db) -> World:
    school = factories.SchoolFactory(name="De Regenboog")
    other_school = factories.SchoolFactory(name="Het Kompas", board=school.board)
    year = factories.SchoolYearFactory()
    group = factories.GroupFactory(school=school, school_year=year, name="Groep 5")
    other_group = factories.GroupFactory(school=school, school_year=year, name="Groep 6")
    other_school_group = factories.GroupFactory(
        school=other_school, school_year=year, name="Groep 5 Kompas"
    )
    pupil = factories.PupilFactory(
        school=school, given_name="Sanne", name_prefix="de", family_name="Vries"
    )
    factories.EnrolmentFactory(pupil=pupil, group=group)
    factories.GuardianFactory(pupil=pupil, name="Anna de Vries")
    other_group_pupil = factories.PupilFactory(
        school=school, given_name="Daan", family_name="Bakker"
    )
    factories.EnrolmentFactory(pupil=other_group_pupil, group=other_group)
    other_school_pupil = factories.PupilFactory(
        school=other_school, given_name="Emma", family_name="Smit"
    )
    factories.EnrolmentFactory(pupil=other_school_pupil, group=other_school_group)

    users = {}

    def member(name: str, role: str, at=school) -> None:
        user = factories.UserFactory(email=f"{name}@school.example", full_name=name.title())
        if role == Role.BOARD:
            Membership.objects.create(user=user, board=school.board, role=role)
        else:
            factories.MembershipFactory(user=user, school=at, role=role)
        users[name] = user

    member("teacher", Role.TEACHER)
    factories.AssignmentFactory(group=group, teacher=users["teacher"])
    member("other_teacher", Role.TEACHER)
    factories.AssignmentFactory(group=other_group, teacher=users["other_teacher"])
    member("care_coordinator", Role.CARE_COORDINATOR)
    member("director", Role.DIRECTOR)
    member("care_team_member", Role.CARE_TEAM_MEMBER)
    member("school_admin", Role.SCHOOL_ADMIN)
    member("privacy_officer", Role.PRIVACY_OFFICER)
    member("board", Role.BOARD)
    member("other_school_ib", Role.CARE_COORDINATOR, at=other_school)
    users["superuser"] = factories.UserFactory(
        email="operator@hgw.example", full_name="Operator", is_staff=True, is_superuser=True
    )
    return World(
        school=school,
        other_school=other_school,
        group=group,
        other_group=other_group,
        pupil=pupil,
        other_group_pupil=other_group_pupil,
        other_school_pupil=other_school_pupil,
        other_school_group=other_school_group,
        users=users,
    )


@pytest.fixture
def client_for(client, world):
    """A test client logged in as the named persona (anonymous: not logged in), with the
    second factor passed for the roles that need it."""

    def _client(persona: str):
        client.logout()
        if persona != "anonymous":
            force_login(client, world.users[persona])
        return client

    return _client
