"""People who log in, and the roles they hold at a school or a board, with dates."""

import datetime

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from schools.models import Board, DatedRange, School


def normalise_email(value: str) -> str:
    """The one form of an e-mail address hgw stores, looks up, logs in with and counts login
    failures under: without surrounding spaces, in lower case. `Teacher@School.nl` and
    `teacher@school.nl` are one person (and one lockout)."""
    return (value or "").strip().lower()


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, full_name: str, password: str | None = None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=normalise_email(email), full_name=full_name, **extra)
        if password:
            user.set_password(password)
        else:
            # People imported from the school's administration set a password through the
            # reset link; until then no password works.
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, full_name: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, full_name, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(email=normalise_email(username))


class User(AbstractBaseUser, PermissionsMixin):
    """A person with a login. Roles come from memberships, never from flags on the user.

    `is_staff`/`is_superuser` are for platform operators only (the Django admin).
    """

    # Stored in lower case (see UserManager and clean), and unique regardless of case.
    email = models.EmailField(_("e-mail address"), max_length=254, unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("platform operator"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
            # Logging in looks the address up exactly (get_by_natural_key), so it is stored in
            # the one form normalise_email gives.
            models.CheckConstraint(condition=Q(email=Lower("email")), name="user_email_lower_case"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0]

    def clean(self) -> None:
        super().clean()
        self.email = normalise_email(self.email)
        if (
            self.is_platform_operator
            and self.pk
            and Membership.objects.current().filter(user=self).exists()
        ):
            raise ValidationError(
                _(
                    "A platform operator holds no role at a school or board. End this "
                    "person's roles first, or give platform rights to another account."
                )
            )

    @property
    def is_platform_operator(self) -> bool:
        """Runs the platform (the Django admin); never holds a role at a school or board, so
        never reaches pupil data through the app (Membership.clean, hgw.access.roles_at)."""
        return self.is_staff or self.is_superuser

    def requires_two_factor(self, on: datetime.date | None = None) -> bool:
        """Whether this person must log in with a second factor (when TWO_FACTOR_REQUIRED).

        Every role that reaches beyond one group, the board and platform operators always;
        a teacher when one of their schools asks it of its teachers.
        """
        if self.is_staff or self.is_superuser:
            return True
        memberships = Membership.objects.active(on).filter(user=self)
        return memberships.filter(
            Q(role__in=TWO_FACTOR_ROLES)
            | Q(role=Role.TEACHER, school__teachers_require_two_factor=True)
        ).exists()


class Role(models.TextChoices):
    TEACHER = "teacher", _("teacher")
    CARE_COORDINATOR = "care_coordinator", _("care coordinator (IB)")
    DIRECTOR = "director", _("director")
    CARE_TEAM_MEMBER = "care_team_member", _("care team member (external)")
    SCHOOL_ADMIN = "school_admin", _("school administration")
    PRIVACY_OFFICER = "privacy_officer", _("privacy officer")
    BOARD = "board", pgettext_lazy("role", "school board")


SCHOOL_ROLES = [role for role in Role if role != Role.BOARD]

# The roles that always log in with a second factor; for teachers their school decides.
TWO_FACTOR_ROLES = frozenset(role for role in Role if role != Role.TEACHER)


class MembershipQuerySet(models.QuerySet):
    def active(self, on: datetime.date | None = None) -> "MembershipQuerySet":
        day = on or timezone.localdate()
        return self.filter(start_date__lte=day).filter(
            Q(end_date__isnull=True) | Q(end_date__gt=day)
        )

    def current(self, on: datetime.date | None = None) -> "MembershipQuerySet":
        """Roles not ended by `on` (today): running, or still to begin."""
        day = on or timezone.localdate()
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gt=day))

    def at_school(self, school: School) -> "MembershipQuerySet":
        return self.filter(school=school)


class Membership(DatedRange, models.Model):
    """A user's role at a school (or, for the board role, at a board) from a date, until a date.

    Dates are half-open: active from start_date up to, not including, end_date. A membership
    is never deleted, so who held which role when stays known (and its history says who
    changed it).
    """

    user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("user")
    )
    school = models.ForeignKey(
        School,
        on_delete=models.PROTECT,
        related_name="memberships",
        null=True,
        blank=True,
        verbose_name=_("school"),
    )
    board = models.ForeignKey(
        Board,
        on_delete=models.PROTECT,
        related_name="memberships",
        null=True,
        blank=True,
        verbose_name=_("school board"),
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    start_date = models.DateField(_("from"), default=timezone.localdate)
    # The first day without the role (exclusive), so that ending a role today takes effect
    # today. Empty while the role runs on.
    end_date = models.DateField(_("until"), null=True, blank=True)
    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["school__name", "role"]
        constraints = [
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_valid"),
            models.CheckConstraint(
                condition=(
                    Q(role=Role.BOARD, board__isnull=False, school__isnull=True)
                    | (~Q(role=Role.BOARD) & Q(board__isnull=True, school__isnull=False))
                ),
                name="membership_board_role_xor_school",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="membership_dates_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "school", "start_date", "end_date"]),
            models.Index(fields=["school", "role"]),
        ]

    def __str__(self) -> str:
        where = self.school or self.board
        return f"{self.user} - {self.get_role_display()} - {where}"

    def clean(self) -> None:
        super().clean()
        ended = self.end_date is not None and self.end_date <= timezone.localdate()
        user = getattr(self, "user", None)
        if not ended and user is not None and user.is_platform_operator:
            # Otherwise an operator could give itself the IB's access to every pupil.
            raise ValidationError(_("A platform operator cannot hold a role at a school or board."))

    def describe(self) -> str:
        """What the role is, where, from when until when: for the security events of roles."""
        where = self.school or self.board
        until = self.end_date.isoformat() if self.end_date else "…"
        return f"{self.get_role_display()}, {where}, {self.start_date.isoformat()} - {until}"


SECURITY_EVENT_KINDS = [
    "two_factor_enrolled",
    "two_factor_removed",
    "two_factor_reset",
    "email_changed",
    "role_added",
    "role_changed",
    "platform_rights_changed",
]


class SecurityEventQuerySet(models.QuerySet):
    def for_school(self, school: School) -> "SecurityEventQuerySet":
        """What the school's privacy officer sees: events at the school (its roles) and
        events about anyone who has held a role there."""
        worked_there = Membership.objects.filter(user=models.OuterRef("user"), school=school)
        return self.filter(Q(school=school) | Q(models.Exists(worked_there)))


class SecurityEvent(models.Model):
    """Something that changed how a person logs in: who, what, by whom, when. Append-only.

    The second factor's devices (django-otp) keep no history of their own; this record says
    when one was set up or removed, and who removed it (the person or the school
    administration, after a lost phone). Append-only like the rest of the audit trail: the
    guard in audit.protection refuses changes and deletes, and in PostgreSQL a trigger.
    """

    class Kind(models.TextChoices):
        TWO_FACTOR_ENROLLED = "two_factor_enrolled", _("second factor set up")
        TWO_FACTOR_REMOVED = "two_factor_removed", _("second factor removed by the person")
        TWO_FACTOR_RESET = "two_factor_reset", _("second factor reset by someone else")
        EMAIL_CHANGED = "email_changed", _("e-mail address changed")
        ROLE_ADDED = "role_added", _("role given by a platform operator")
        ROLE_CHANGED = "role_changed", _("role changed by a platform operator")
        PLATFORM_RIGHTS_CHANGED = "platform_rights_changed", _("platform rights changed")

    user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="security_events", verbose_name=_("user")
    )
    kind = models.CharField(_("what"), max_length=32, choices=Kind.choices)
    by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    # What changed, where the kind alone does not say it (the old and the new address).
    detail = models.CharField(_("detail"), max_length=600, blank=True)
    # The school a role given or changed belongs to, so its privacy officer sees the change.
    school = models.ForeignKey(
        School,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("school"),
    )

    objects = SecurityEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=SECURITY_EVENT_KINDS),
                name="securityevent_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} - {self.get_kind_display()} - {self.at:%Y-%m-%d %H:%M}"


class RateLimitHit(models.Model):
    """One event counted by hgw's own rate limits (accounts.throttle): a failed login, a
    successful one (its address becomes known for the account), a password-reset request.

    A counter, not an audit record: rows older than the limits look back are deleted.
    """

    class Scope(models.TextChoices):
        LOGIN_FAILURE_FROM = "login_failure_from", "failed login from a client address"
        LOGIN_FAILURE_FOR = "login_failure_for", "failed login for an e-mail address"
        LOGIN_SUCCESS = "login_success", "login from a client address to an account"
        RESET_REQUEST_FROM = "reset_request_from", "password reset asked from a client address"
        RESET_MAIL_TO = "reset_mail_to", "password reset mail queued for an e-mail address"

    scope = models.CharField(max_length=32, choices=Scope.choices)
    # A client address, a normalised e-mail address, or both (LOGIN_SUCCESS).
    key = models.CharField(max_length=400)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["scope", "key", "at"]),
            models.Index(fields=["scope", "at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    scope__in=[
                        "login_failure_from",
                        "login_failure_for",
                        "login_success",
                        "reset_request_from",
                        "reset_mail_to",
                    ]
                ),
                name="ratelimithit_scope_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.at:%Y-%m-%d %H:%M}"
