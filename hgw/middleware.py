"""Request set-up shared by every page: the language, the school being worked in."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.translation import gettext as _

from accounts.models import Membership

SESSION_SCHOOL_KEY = "hgw_school_id"

Middleware = Callable[[HttpRequest], HttpResponse]


def language_middleware(get_response: Middleware) -> Middleware:
    """Dutch unless the person chose English with the language switch (a cookie).

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language: a school's
    shared computers are often set to English, and the school works in Dutch.
    """
    supported = {code for code, _name in settings.LANGUAGES}

    def middleware(request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = get_response(request)
        patch_vary_headers(response, ["Cookie"])
        response.headers.setdefault("Content-Language", language)
        return response

    return middleware


def school_middleware(get_response: Middleware) -> Middleware:
    """Pick the school a signed-in person works in this session.

    A person with roles at several schools chooses one; with one school it is chosen for
    them. When their last role at the chosen school ends, the school is dropped from the
    session at the next request, so their access there ends at once.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        request.school = None
        request.available_schools = []
        # A platform operator works in the Django admin only: no school, whatever its roles.
        if request.user.is_authenticated and not request.user.is_platform_operator:
            memberships = (
                Membership.objects.active()
                .filter(user=request.user, school__isnull=False)
                .select_related("school")
            )
            schools = {m.school_id: m.school for m in memberships}
            request.available_schools = sorted(schools.values(), key=lambda s: s.name)
            chosen = request.session.get(SESSION_SCHOOL_KEY)
            if chosen in schools:
                request.school = schools[chosen]
            elif len(schools) == 1:
                request.school = next(iter(schools.values()))
                request.session[SESSION_SCHOOL_KEY] = request.school.pk
            else:
                request.session.pop(SESSION_SCHOOL_KEY, None)
                if len(schools) > 1 and not _may_skip_school_choice(request):
                    return redirect(f"{reverse('accounts:school_choose')}")
        response = get_response(request)
        if request.user.is_authenticated:
            # Pages of signed-in people may hold pupil data: never store them in a cache.
            add_never_cache_headers(response)
        return response

    return middleware


SESSION_LOGIN_AT_KEY = "hgw_login_at"

# Powerful browser features hgw never uses, switched off for every page.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "camera",
        "microphone",
        "geolocation",
        "payment",
        "usb",
        "serial",
        "bluetooth",
        "display-capture",
        "browsing-topics",
    )
)


def session_middleware(get_response: Middleware) -> Middleware:
    """Session hygiene: a login lasts at most SESSION_ABSOLUTE_TIMEOUT seconds, however busy.

    The idle timeout is Django's own: the session's expiry moves on with every request
    (SESSION_SAVE_EVERY_REQUEST) and lapses after SESSION_COOKIE_AGE seconds without one.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            login_at = request.session.setdefault(SESSION_LOGIN_AT_KEY, now)
            if now - login_at > settings.SESSION_ABSOLUTE_TIMEOUT:
                logout(request)
                messages.info(request, _("You have been logged out: please log in again."))
                return redirect_to_login(request.get_full_path())
        response = get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response

    return middleware


def _may_skip_school_choice(request: HttpRequest) -> bool:
    allowed = (
        reverse("accounts:school_choose"),
        reverse("accounts:logout"),
        reverse("set_language"),
    )
    return request.path in allowed or request.path.startswith(("/admin/", settings.STATIC_URL))


# Requests that only read: never wrapped, so a page view takes no write lock (SQLite's
# IMMEDIATE transactions lock the database from their first statement).
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def atomic_writes_middleware(get_response: Middleware) -> Middleware:
    """A request that may change data (POST, PUT, PATCH, DELETE) runs in one transaction: when
    it ends in a server error, nothing it wrote stays, as the error page says. Django turns the
    view's exception into the 500 response inside get_response, so the status decides.

    It sits after the access log (what was shown is logged even when a later step fails) and
    wraps the view only; work queued with transaction.on_commit runs once the request's writes
    are committed, and not at all when they are rolled back.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        if request.method in SAFE_METHODS:
            return get_response(request)
        with transaction.atomic():
            response = get_response(request)
            if response.status_code >= 500:
                transaction.set_rollback(True)
        return response

    return middleware
