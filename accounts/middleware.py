"""Login hygiene per request: the second factor, and the client's address for the lockout."""

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import normalise_email

Middleware = Callable[[HttpRequest], HttpResponse]

# Without the second factor a person reaches only these (and static files).
_OPEN_WITHOUT_SECOND_FACTOR = (
    "accounts:two_factor_enrol",
    "accounts:two_factor_verify",
    "accounts:logout",
    "set_language",
)


def needs_second_factor(user) -> bool:
    """Whether this signed-in person must still pass the second factor in this session."""
    if not settings.TWO_FACTOR_REQUIRED or not user.is_authenticated or user.is_verified():
        return False
    # Someone who set up a second factor of their own accord uses it too.
    return user.requires_two_factor() or has_second_factor(user)


def has_second_factor(user) -> bool:
    """One query: the authenticator app is always set up together with the backup codes
    (accounts.actions.confirm_two_factor) and removed together with them."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def two_factor_middleware(get_response: Middleware) -> Middleware:
    """After the password, a person who needs a second factor goes to the page that asks for
    it (or, without a device yet, to the page that sets one up) and nowhere else."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if (
            request.user.is_authenticated
            and not _is_open(request.path)
            and needs_second_factor(request.user)
        ):
            target = (
                "accounts:two_factor_verify"
                if has_second_factor(request.user)
                else "accounts:two_factor_enrol"
            )
            url = reverse(target)
            if request.method == "GET" and not request.path.startswith("/admin/"):
                url = f"{url}?{urlencode({'next': request.get_full_path()})}"
            return redirect(url)
        return get_response(request)

    return middleware


def _is_open(path: str) -> bool:
    return path in {reverse(name) for name in _OPEN_WITHOUT_SECOND_FACTOR} or path.startswith(
        settings.STATIC_URL
    )


def client_address(request: HttpRequest) -> str | None:
    """The client's address for the login lockout (django-axes).

    Without proxies it is REMOTE_ADDR. Behind TRUSTED_PROXY_COUNT proxies, each appending the
    address it saw to X-Forwarded-For, it is the entry that many places from the right: the
    one the outermost proxy saw. Entries further left came from the client and can be forged.
    """
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR")


def login_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The login name django-axes counts failures under: the e-mail address as hgw stores it
    (accounts.models.normalise_email), so that `Teacher@…` and `teacher@…` share one lockout
    and a success in one letter case does not clear the other's failures."""
    field = settings.AXES_USERNAME_FORM_FIELD
    raw = credentials.get(field) if credentials else request.POST.get(field)
    return normalise_email(raw) if raw else None
