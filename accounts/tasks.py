"""Background work of accounts: e-mail leaves the request (see README, "Background work")."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import SecurityEvent, User, normalise_email
from schools.models import School


@task
def send_invitation(*, user_id: int, school_id: int) -> None:
    """Invite a new person to choose a password. The e-mail names the school, no pupil."""
    user = User.objects.get(pk=user_id)
    school = School.objects.get(pk=school_id)
    if not user.is_active or user.has_usable_password():
        return  # they found their way in already
    context = {"user": user, "school": school, "link": _set_password_link(user)}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
        body = render_to_string("accounts/email/invitation.txt", context)
    send_mail(subject, body, None, [user.email])


def _set_password_link(user: User) -> str:
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return settings.SITE_URL.rstrip("/") + path


@task
def send_password_reset(*, email: str) -> None:
    """The link to set a (new) password, for an active account with this address; nothing
    for an unknown address. People added without a password choose their first one here too.
    No pupil data."""
    for user in User.objects.filter(email=normalise_email(email), is_active=True):
        context = {"user": user, "link": _set_password_link(user)}
        with translation.override(settings.LANGUAGE_CODE):
            subject = render_to_string("accounts/email/password_reset_subject.txt", context)
            body = render_to_string("accounts/email/password_reset.txt", context)
        send_mail(subject.strip(), body, None, [user.email])


@task
def notify_email_changed(*, user_id: int, old_email: str, new_email: str) -> None:
    """Tell both addresses that the login address changed; the old one is told where to turn
    if the person did not do this. No pupil data."""
    user = User.objects.get(pk=user_id)
    context = {"user": user, "old_email": old_email, "new_email": new_email}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("accounts/email/email_changed_subject.txt", context).strip()
        body = render_to_string("accounts/email/email_changed.txt", context)
    send_mail(subject, body, None, [old_email, new_email])


@task
def notify_two_factor_reset(*, event_id: int) -> None:
    """Tell a person their second factor was reset: by whom, when, and where to turn if they
    did not ask for it. No pupil data."""
    event = SecurityEvent.objects.select_related("user", "by").get(pk=event_id)
    context = {"user": event.user, "by": event.by, "at": event.at}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("accounts/email/two_factor_reset_subject.txt", context).strip()
        body = render_to_string("accounts/email/two_factor_reset.txt", context)
    send_mail(subject, body, None, [event.user.email])
