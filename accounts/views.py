import base64
import math
import re
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required, login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_otp import devices_for_user, user_has_device, verify_token
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import throttle
from accounts.actions import (
    EmailTaken,
    MembershipExists,
    add_member,
    change_email,
    confirm_two_factor,
    end_memberships,
    pending_totp_device,
    remove_two_factor,
    request_password_reset,
)
from accounts.forms import (
    EmailChangeForm,
    LoginForm,
    MemberForm,
    PasswordConfirmForm,
    PasswordResetForm,
    SchoolChoiceForm,
    SchoolSecurityForm,
    TwoFactorCodeForm,
)
from accounts.middleware import client_address
from accounts.models import Membership, SecurityEvent, User, normalise_email
from hgw import access
from hgw.middleware import SESSION_SCHOOL_KEY


@login_required
def school_choose(request: HttpRequest) -> HttpResponse:
    schools = request.available_schools
    if not schools:
        raise Http404
    form = SchoolChoiceForm(request.POST or None, schools=schools)
    if request.method == "POST" and form.is_valid():
        request.session[SESSION_SCHOOL_KEY] = form.cleaned_data["school"]
        return redirect("home")
    return render(request, "accounts/school_choose.html", {"form": form})


def _staff_at(school):
    today = timezone.localdate()
    active = Membership.objects.active(today).filter(school=school)
    return (
        User.objects.filter(pk__in=active.values("user_id"))
        .prefetch_related(
            Prefetch("memberships", queryset=active.order_by("role"), to_attr="current_roles")
        )
        .order_by("full_name", "pk")
    )


@login_required
def staff_list(request: HttpRequest) -> HttpResponse:
    actor = access.actor_for(request)
    if not access.can_view_staff(actor):
        raise Http404
    page = Paginator(_staff_at(actor.school), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/staff_list.html",
        {"page": page, "can_manage": access.can_manage_staff(actor)},
    )


@login_required
def staff_add(request: HttpRequest) -> HttpResponse:
    actor = access.actor_for(request)
    if not access.can_manage_staff(actor):
        raise Http404
    form = MemberForm(request.POST or None, action=reverse("accounts:staff_add"))
    if request.method == "POST" and form.is_valid():
        try:
            person, invited = add_member(school=actor.school, by=request.user, **form.cleaned_data)
        except MembershipExists:
            form.add_error("role", _("This person already has this role at this school."))
        except ValidationError as error:
            form.add_error("email", error)
        else:
            if invited:
                message = _("%(name)s has been added and gets an e-mail to choose a password.")
            else:
                message = _("%(name)s has been added.")
            messages.success(request, message % {"name": person.full_name})
            return redirect("accounts:staff_list")
    return render(request, "accounts/staff_add.html", {"form": form})


@login_required
def email_change(request: HttpRequest) -> HttpResponse:
    """Change one's own login address, after giving the password again."""
    form = EmailChangeForm(
        request.POST or None, user=request.user, submit_label=_("Change e-mail address")
    )
    if request.method == "POST" and form.is_valid():
        try:
            change_email(user=request.user, new_email=form.cleaned_data["email"], by=request.user)
        except EmailTaken:
            form.add_error("email", _("Another account already uses this e-mail address."))
        else:
            messages.success(
                request,
                _("Your e-mail address has been changed. From now on you log in with %(email)s.")
                % {"email": form.cleaned_data["email"]},
            )
            return redirect("home")
    return render(
        request,
        "accounts/email_change.html",
        {"form": form},
        status=422 if form.is_bound else 200,
    )


@login_required
def staff_detail(request: HttpRequest, user_pk: int) -> HttpResponse:
    actor = access.actor_for(request)
    if not access.can_view_staff(actor):
        raise Http404
    person = get_object_or_404(_staff_at(actor.school), pk=user_pk)
    return render(
        request,
        "accounts/staff_detail.html",
        {
            "person": person,
            "can_end": access.can_manage_staff(actor) and person.pk != request.user.pk,
            "can_reset_two_factor": access.can_reset_two_factor(actor, person),
            "has_second_factor": user_has_device(person),
            "security_events": person.security_events.select_related("by")[:20],
        },
    )


@login_required
@require_POST
def membership_end(request: HttpRequest, user_pk: int) -> HttpResponse:
    actor = access.actor_for(request)
    if not access.can_manage_staff(actor):
        raise Http404
    person = get_object_or_404(_staff_at(actor.school), pk=user_pk)
    if person.pk == request.user.pk:
        messages.error(request, _("You cannot end your own roles here; ask another administrator."))
        return redirect("accounts:staff_list")
    end_memberships(user=person, school=actor.school, by=request.user)
    messages.success(
        request,
        _("%(name)s no longer has a role at %(school)s.")
        % {"name": person.full_name, "school": actor.school.name},
    )
    return redirect("accounts:staff_list")


def locked_out(request: HttpRequest, credentials: dict | None = None, *args, **kwargs):
    """What django-axes shows instead of logging in while the account-and-address pair is
    locked out: a plain page (429) saying how long, not a bare error."""
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    return _too_many_attempts(request, throttle.Wait("pair", seconds))


def _too_many_attempts(request: HttpRequest, wait: throttle.Wait) -> HttpResponse:
    minutes = max(1, math.ceil(wait.seconds / 60))
    context = {"reason": wait.reason, "cooloff_minutes": minutes, "seconds": wait.seconds}
    return render(request, "accounts/locked_out.html", context, status=429)


_login_view = auth_views.LoginView.as_view(
    template_name="accounts/login.html",
    authentication_form=LoginForm,
    redirect_authenticated_user=True,
)


@login_not_required
def login(request: HttpRequest) -> HttpResponse:
    """Django's login page, behind hgw's own limits (accounts.throttle) and django-axes's
    lockout of an account-and-address pair (both on and off with AXES_ENABLED)."""
    if request.method != "POST" or not settings.AXES_ENABLED:
        return _login_view(request)
    address = client_address(request)
    username = normalise_email(request.POST.get("username", ""))
    wait = throttle.login_wait(address=address, username=username)
    if wait is not None:
        return _too_many_attempts(request, wait)
    response = _login_view(request)
    throttle.record_login(
        address=address, username=username, succeeded=request.user.is_authenticated
    )
    return response


@login_not_required
def password_reset(request: HttpRequest) -> HttpResponse:
    """Ask for a link to set a password. The same answer whatever the address: the mail (if
    any) goes out from the task worker."""
    form = PasswordResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        request_password_reset(
            email=form.cleaned_data["email"], client_address=client_address(request)
        )
        return redirect("accounts:password_reset_done")
    return render(request, "accounts/password_reset.html", {"form": form})


# The second factor --------------------------------------------------------------------------

SESSION_BACKUP_CODES_KEY = "hgw_backup_codes"  # shown once, right after setting up


def _next_url(request: HttpRequest) -> str:
    """Where to go after the second factor: the page asked for, if it is on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


def _same_page(request: HttpRequest, name: str) -> str:
    """The page's own address, keeping where to go afterwards."""
    return f"{reverse(name)}?{urlencode({'next': _next_url(request)})}"


def _qr_svg(uri: str) -> str:
    """The otpauth URI as an inline SVG QR code, drawn on the server (no script, no style)."""
    code = segno.make(uri, error="m")
    return mark_safe(code.svg_inline(scale=5, light="#fff", svgclass="qr-code"))


def _grouped_secret(device: TOTPDevice) -> str:
    """The key as base32 in groups of four, for typing into an app without a camera."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """The person's own second factor: whether it is set up, how many backup codes are left,
    and removing it (after giving the password again)."""
    return _two_factor_page(request, PasswordConfirmForm(user=request.user, **_remove_labels()))


def _remove_labels() -> dict:
    return {"submit_label": _("Remove my second factor")}


def _two_factor_page(request: HttpRequest, form: PasswordConfirmForm, status: int = 200):
    user = request.user
    form.helper.form_action = reverse("accounts:two_factor_remove")
    backup_codes_left = StaticToken.objects.filter(device__user=user, device__confirmed=True)
    return render(
        request,
        "accounts/two_factor.html",
        {
            "has_second_factor": user_has_device(user),
            "required": settings.TWO_FACTOR_REQUIRED and user.requires_two_factor(),
            "backup_codes_left": backup_codes_left.count(),
            "form": form,
        },
        status=status,
    )


@login_required
@require_POST
def two_factor_remove(request: HttpRequest) -> HttpResponse:
    form = PasswordConfirmForm(request.POST, user=request.user, **_remove_labels())
    if not form.is_valid():
        return _two_factor_page(request, form, status=400)
    remove_two_factor(user=request.user, by=request.user)
    messages.success(request, _("Your second factor has been removed."))
    if settings.TWO_FACTOR_REQUIRED and request.user.requires_two_factor():
        return redirect("accounts:two_factor_enrol")
    return redirect("accounts:two_factor")


@login_required
def two_factor_enrol(request: HttpRequest) -> HttpResponse:
    """Set up the authenticator app: scan the QR code (or type the key), type a code."""
    user = request.user
    if user_has_device(user):
        return redirect("accounts:two_factor")
    device = pending_totp_device(user=user)
    form = TwoFactorCodeForm(request.POST or None, submit_label=_("Confirm"))
    form.helper.form_action = _same_page(request, "accounts:two_factor_enrol")
    if request.method == "POST" and form.is_valid():
        if re.fullmatch(r"[0-9]{6}", form.cleaned_data["code"]) and device.verify_token(
            form.cleaned_data["code"]
        ):
            codes = confirm_two_factor(device=device, by=user)
            request.session.cycle_key()
            otp_login(request, device)
            request.session[SESSION_BACKUP_CODES_KEY] = codes
            url = reverse("accounts:two_factor_backup_codes")
            return redirect(f"{url}?{urlencode({'next': _next_url(request)})}")
        form.add_error("code", _("This code is not right. Type the code the app shows now."))
    return render(
        request,
        "accounts/two_factor_enrol.html",
        {
            "form": form,
            "qr_svg": _qr_svg(device.config_url),
            "secret": _grouped_secret(device),
            "next": _next_url(request),
        },
        status=400 if form.errors else 200,
    )


@login_required
def two_factor_backup_codes(request: HttpRequest) -> HttpResponse:
    """The ten backup codes, shown once, right after setting up the second factor."""
    codes = request.session.pop(SESSION_BACKUP_CODES_KEY, None)
    if not codes:
        return redirect("accounts:two_factor")
    return render(
        request,
        "accounts/two_factor_backup_codes.html",
        {"codes": codes, "next": _next_url(request)},
    )


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """After the password: a code from the app, or one of the backup codes (each works once)."""
    user = request.user
    if user.is_verified():
        return redirect(_next_url(request))
    if not user_has_device(user):
        return redirect("accounts:two_factor_enrol")
    form = TwoFactorCodeForm(request.POST or None, submit_label=_("Log in"))
    form.helper.form_action = _same_page(request, "accounts:two_factor_verify")
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        # Six digits: the app; anything else: a backup code. A wrong code slows down only the
        # devices it was tried on (django-otp's throttling doubles the wait each time).
        model = TOTPDevice if re.fullmatch(r"[0-9]{6}", code) else StaticDevice
        for device in devices_for_user(user):
            if isinstance(device, model) and verify_token(user, device.persistent_id, code):
                request.session.cycle_key()
                otp_login(request, device)
                if isinstance(device, StaticDevice):
                    left = device.token_set.count()
                    messages.warning(
                        request,
                        ngettext(
                            "You logged in with a backup code; %(count)d is left.",
                            "You logged in with a backup code; %(count)d are left.",
                            left,
                        )
                        % {"count": left},
                    )
                return redirect(_next_url(request))
        form.add_error(
            "code",
            _(
                "This code is not right, or it came too soon after a wrong one. "
                "Wait a moment and type the code the app shows now."
            ),
        )
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next": _next_url(request)},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def staff_two_factor_reset(request: HttpRequest, user_pk: int) -> HttpResponse:
    """A lost phone: the school administration removes a person's second factor (an IB's or
    director's: another IB or the privacy officer, see access.can_reset_two_factor); they set
    up a new one at their next login. Recorded (who, when) on the person's page, and the
    person is told by e-mail."""
    actor = access.actor_for(request)
    if not access.can_view_staff(actor):
        raise Http404
    person = get_object_or_404(_staff_at(actor.school), pk=user_pk)
    if not access.can_reset_two_factor(actor, person):
        raise Http404
    remove_two_factor(user=person, by=request.user)
    messages.success(
        request,
        _(
            "The second factor of %(name)s has been reset; "
            "they set up a new one at their next login."
        )
        % {"name": person.full_name},
    )
    return redirect("accounts:staff_detail", user_pk=person.pk)


@login_required
def security_event_list(request: HttpRequest) -> HttpResponse:
    """For the privacy officer: changes to how the school's people log in and to their roles,
    also those made by platform operators in the Django admin."""
    actor = access.actor_for(request)
    if not access.can_view_security_events(actor):
        raise Http404
    events = SecurityEvent.objects.for_school(actor.school).select_related("user", "by", "school")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/security_event_list.html", {"page": page})


@login_required
def school_security(request: HttpRequest) -> HttpResponse:
    """The school administration decides whether its teachers log in with two factors."""
    actor = access.actor_for(request)
    if not access.can_manage_staff(actor):
        raise Http404
    form = SchoolSecurityForm(request.POST or None, instance=actor.school)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The settings have been saved."))
        return redirect("accounts:school_security")
    last_change = (
        actor.school.history.filter(history_type="~").select_related("history_user").first()
    )
    return render(
        request, "accounts/school_security.html", {"form": form, "last_change": last_change}
    )
