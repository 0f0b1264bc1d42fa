"""hgw's own rate limits, beside django-axes (which locks one account-and-address pair).

- Password spraying: a client address with LOGIN_ADDRESS_FAILURE_LIMIT failed logins over
  all accounts within the lockout time (LOGIN_LOCKOUT_MINUTES) is refused (429) until its
  failures fall out of that time.
- Guessing one account from many addresses: after LOGIN_ACCOUNT_SLOWDOWN_AFTER failures for
  an account within an hour, from wherever, each further attempt waits for a delay that
  doubles from 30 seconds up to LOGIN_ACCOUNT_DELAY_MAX_MINUTES after the last failure.
  An address the person logged in from successfully in the last 30 days is not slowed, so
  an attacker elsewhere cannot lock a teacher out at school (or at home).
- Password-reset mail: at most PASSWORD_RESET_MAILS_PER_ADDRESS per e-mail address and
  PASSWORD_RESET_REQUESTS_PER_CLIENT requests per client address, per hour.

Counted in the database (accounts.models.RateLimitHit), so every worker process sees the
same counts; rows are deleted once no limit looks back that far.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from accounts.models import RateLimitHit

Scope = RateLimitHit.Scope

ACCOUNT_WINDOW = datetime.timedelta(hours=1)
FIRST_DELAY = datetime.timedelta(seconds=30)
KNOWN_ADDRESS_DAYS = datetime.timedelta(days=30)
RESET_WINDOW = datetime.timedelta(hours=1)


def _hits(scope: str, key: str, within: datetime.timedelta):
    return RateLimitHit.objects.filter(scope=scope, key=key, at__gt=timezone.now() - within)


def _keep(scope: str) -> datetime.timedelta:
    if scope == Scope.LOGIN_SUCCESS:
        return KNOWN_ADDRESS_DAYS
    return max(settings.AXES_COOLOFF_TIME, ACCOUNT_WINDOW, RESET_WINDOW)


def record(scope: str, key: str) -> None:
    """Count one event, and drop this scope's rows that no limit looks at any more."""
    now = timezone.now()
    RateLimitHit.objects.filter(scope=scope, at__lt=now - _keep(scope)).delete()
    RateLimitHit.objects.create(scope=scope, key=key, at=now)


def _pair(address: str, username: str) -> str:
    return f"{address} {username}"


@dataclass(frozen=True)
class Wait:
    """Why a login attempt is refused before the password is looked at, and for how long."""

    reason: str  # "address" (too many failures from it) or "account" (from everywhere)
    seconds: int


def login_wait(*, address: str | None, username: str) -> Wait | None:
    """None when this login attempt may go ahead; else how long to wait, and why."""
    if address:
        window = settings.AXES_COOLOFF_TIME
        failures = _hits(Scope.LOGIN_FAILURE_FROM, address, window).count()
        if failures >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            return Wait("address", int(window.total_seconds()))
    if not username:
        return None
    known = _hits(Scope.LOGIN_SUCCESS, _pair(address, username), KNOWN_ADDRESS_DAYS)
    if address and known.exists():
        return None  # where the person logged in before: never slowed by others' failures
    failures = _hits(Scope.LOGIN_FAILURE_FOR, username, ACCOUNT_WINDOW)
    over = failures.count() - settings.LOGIN_ACCOUNT_SLOWDOWN_AFTER
    if over < 0:
        return None
    cap = datetime.timedelta(minutes=settings.LOGIN_ACCOUNT_DELAY_MAX_MINUTES)
    delay = min(FIRST_DELAY * 2 ** min(over, 20), cap)
    last = failures.latest("at").at
    remaining = (last + delay - timezone.now()).total_seconds()
    return Wait("account", int(remaining) + 1) if remaining > 0 else None


def record_login(*, address: str | None, username: str, succeeded: bool) -> None:
    if succeeded:
        if address and username:
            record(Scope.LOGIN_SUCCESS, _pair(address, username))
        return
    if address:
        record(Scope.LOGIN_FAILURE_FROM, address)
    if username:
        record(Scope.LOGIN_FAILURE_FOR, username)


def may_send_reset_mail(*, email: str, address: str | None) -> bool:
    """Count a password-reset request; whether its mail may be sent."""
    if address:
        requests = _hits(Scope.RESET_REQUEST_FROM, address, RESET_WINDOW).count()
        if requests >= settings.PASSWORD_RESET_REQUESTS_PER_CLIENT:
            return False
        record(Scope.RESET_REQUEST_FROM, address)
    if _hits(Scope.RESET_MAIL_TO, email, RESET_WINDOW).count() >= (
        settings.PASSWORD_RESET_MAILS_PER_ADDRESS
    ):
        return False
    record(Scope.RESET_MAIL_TO, email)
    return True
