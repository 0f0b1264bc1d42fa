"""Writes about people and their roles."""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from accounts.models import Membership, SecurityEvent, User, normalise_email
from schools.models import School


def _not_ended_by(day: datetime.date) -> Q:
    return Q(end_date__isnull=True) | Q(end_date__gt=day)


@transaction.atomic
def end_memberships(
    *, user: User, school: School, by: User, on: datetime.date | None = None
) -> list[Membership]:
    """End every role `user` holds (or is due to hold) at `school` from `on` (today).

    The person's access there ends at once: the school middleware drops a school without an
    active membership from their session at the next request. When no role remains anywhere,
    the account is deactivated, which ends all of their sessions.
    """
    day = on or timezone.localdate()
    ended = list(
        Membership.objects.select_for_update().filter(_not_ended_by(day), user=user, school=school)
    )
    for membership in ended:
        # A role that had not started yet ends as it would begin.
        membership.end_date = max(day, membership.start_date)
        membership._history_user = by
        membership.save(update_fields=["end_date"])
    if not Membership.objects.filter(_not_ended_by(day), user=user).exists():
        user.is_active = False
        user.save(update_fields=["is_active"])
    return ended


class MembershipExists(Exception):
    """The person already holds this role at this school."""


@transaction.atomic
def add_member(
    *,
    school: School,
    email: str,
    full_name: str,
    role: str,
    start_date: datetime.date,
    by: User,
) -> tuple[User, bool]:
    """Give a person a role at a school from `start_date`; returns (user, invited).

    Someone new gets an account without a password and an invitation to choose one (sent
    after the transaction commits, in the background). An existing account, also one
    deactivated earlier, is reused: a person is one account however many schools they work at.
    """
    from accounts.tasks import send_invitation

    address = normalise_email(email)
    user = User.objects.filter(email__iexact=address).first()
    created = user is None
    if created:
        user = User.objects.create_user(address, full_name)
    elif not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    running = Membership.objects.filter(
        _not_ended_by(start_date), user=user, school=school, role=role
    )
    if running.exists():
        raise MembershipExists
    membership = Membership(user=user, school=school, role=role, start_date=start_date)
    membership.clean()  # ValidationError for a platform operator's account
    membership._history_user = by
    membership.save()
    invited = not user.has_usable_password()
    if invited:
        transaction.on_commit(lambda: send_invitation.enqueue(user_id=user.pk, school_id=school.pk))
    return user, invited


def request_password_reset(*, email: str, client_address: str | None) -> None:
    """Someone asks for a link to set a password: the mail goes out from the task worker,
    within the limits of accounts.throttle. The same work whether or not an account has the
    address (the task looks it up), so the answer shows neither that nor the throttling."""
    from accounts import throttle
    from accounts.tasks import send_password_reset

    email = normalise_email(email)
    with transaction.atomic():
        if throttle.may_send_reset_mail(email=email, address=client_address):
            transaction.on_commit(lambda: send_password_reset.enqueue(email=email))


# What a platform operator does in the Django admin ----------------------------------------


@transaction.atomic
def save_membership_by_operator(*, membership: Membership, by: User) -> Membership:
    """Give or change a role from the Django admin: validated (no school role for a platform
    operator), saved with its history, and recorded as a security event that the school's
    privacy officer sees (who, whom, what)."""
    membership.clean()
    before = Membership.objects.filter(pk=membership.pk).first() if membership.pk else None
    membership._history_user = by
    membership.save()
    with translation.override(settings.LANGUAGE_CODE):
        after = membership.describe()
        was = before.describe() if before else None
    if was != after:
        SecurityEvent.objects.create(
            user=membership.user,
            kind=SecurityEvent.Kind.ROLE_CHANGED if before else SecurityEvent.Kind.ROLE_ADDED,
            by=by,
            school=membership.school,
            detail=f"{was} → {after}" if before else after,
        )
    return membership


PLATFORM_FLAGS = ("is_active", "is_staff", "is_superuser")


def record_platform_rights_change(*, user: User, by: User, before: dict[str, bool]) -> None:
    """A change of a person's platform flags in the Django admin, recorded (old → new)."""
    changed = [flag for flag in PLATFORM_FLAGS if before.get(flag) != getattr(user, flag)]
    if changed:
        SecurityEvent.objects.create(
            user=user,
            kind=SecurityEvent.Kind.PLATFORM_RIGHTS_CHANGED,
            by=by,
            detail=", ".join(f"{f}: {before.get(f)} → {getattr(user, f)}" for f in changed),
        )


# The second factor --------------------------------------------------------------------------

BACKUP_CODE_COUNT = 10


def pending_totp_device(*, user: User):
    """The authenticator-app device being set up (unconfirmed): the same one until it is
    confirmed, so reloading the page does not change the QR code already scanned."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="app", confirmed=False)
    return device


@transaction.atomic
def confirm_two_factor(*, device, by: User) -> list[str]:
    """Confirm the authenticator-app device whose code the person just typed, replace their
    backup codes with ten new ones, and return those (to show once)."""
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = device.user
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    StaticDevice.objects.filter(user=user).delete()
    backup = StaticDevice.objects.create(user=user, name="backup", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=backup, token=code) for code in codes)
    SecurityEvent.objects.create(user=user, kind=SecurityEvent.Kind.TWO_FACTOR_ENROLLED, by=by)
    return codes


@transaction.atomic
def remove_two_factor(*, user: User, by: User) -> None:
    """Remove every second-factor device of `user` (their app and backup codes), recorded.

    By the person themselves (after giving their password again) or, after a lost phone, by
    whom hgw.access.can_reset_two_factor allows; then the person gets an e-mail. Sessions
    verified with a removed device lose that at their next request (django-otp's middleware
    finds no device): where a second factor is required, the person sets one up again.
    """
    from django_otp import devices_for_user

    from accounts.tasks import notify_two_factor_reset

    for device in list(devices_for_user(user, confirmed=None)):
        device.delete()
    if by.pk == user.pk:
        SecurityEvent.objects.create(user=user, kind=SecurityEvent.Kind.TWO_FACTOR_REMOVED, by=by)
        return
    event = SecurityEvent.objects.create(user=user, kind=SecurityEvent.Kind.TWO_FACTOR_RESET, by=by)
    # Told, so that a reset they did not ask for (a step towards using a stolen password) is
    # noticed.
    transaction.on_commit(lambda: notify_two_factor_reset.enqueue(event_id=event.pk))


class EmailTaken(Exception):
    """Another account already logs in with this address."""


@transaction.atomic
def change_email(*, user: User, new_email: str, by: User) -> User:
    """Change the address a person logs in with (after they gave their password again),
    recorded as a security event with both addresses. Both addresses get a message (no pupil
    data): the old one so that a change the person did not make is noticed."""
    from accounts.tasks import notify_email_changed

    current = User.objects.select_for_update().get(pk=user.pk)
    new_email = normalise_email(new_email)
    old_email = current.email
    if new_email == old_email:
        return current
    if User.objects.filter(email__iexact=new_email).exclude(pk=current.pk).exists():
        raise EmailTaken(new_email)
    current.email = new_email
    current.save(update_fields=["email"])
    SecurityEvent.objects.create(
        user=current,
        kind=SecurityEvent.Kind.EMAIL_CHANGED,
        by=by,
        detail=f"{old_email} → {new_email}",
    )
    transaction.on_commit(
        lambda: notify_email_changed.enqueue(
            user_id=current.pk, old_email=old_email, new_email=new_email
        )
    )
    return current
