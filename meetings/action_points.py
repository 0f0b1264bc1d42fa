"""Writes of a meeting's action points (actiepunten): the IB records a decision with an owner
and a due date; the owner or the IB marks it done or reopens it; the IB corrects an open one
until the minutes are signed off. Every change goes over the version the person saw."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership, Role, User
from audit.history import Stale
from meetings import actions
from meetings.models import ActionPoint, Meeting, MeetingItem, MeetingStatus
from schools.models import School

DESCRIPTION_MAX_LENGTH = 300

# Who may own an action point: everyone who can log in at the school and takes part in its
# meetings (not the administration, not the privacy officer).
OWNER_ROLES = (Role.TEACHER, Role.CARE_COORDINATOR, Role.DIRECTOR, Role.CARE_TEAM_MEMBER)


class StaleActionPoint(Stale):
    """Someone else changed the action point after the person opened it."""


def possible_owners(school: School, on: datetime.date | None = None):
    """The school's active members who may own an action point, by name."""
    members = Membership.objects.active(on).filter(school=school, role__in=OWNER_ROLES)
    return User.objects.filter(is_active=True, pk__in=members.values("user_id")).order_by(
        "full_name", "pk"
    )


def _check_owner(school: School, owner, today: datetime.date | None) -> None:
    if owner is None or not possible_owners(school, today).filter(pk=owner.pk).exists():
        raise ValidationError(_("The owner must be a member of the school's team."))


def _check_values(
    school: School, description: str, owner, due_date, today: datetime.date | None
) -> str:
    """The checks an added or corrected action shares; the cleaned description."""
    description = _check_description(description)
    _check_owner(school, owner, today)
    if due_date is None:
        raise ValidationError(_("Give a due date."))
    return description


def _check_description(description: str) -> str:
    description = (description or "").strip()
    if not description:
        raise ValidationError(_("Describe the action."))
    if len(description) > DESCRIPTION_MAX_LENGTH:
        raise ValidationError(
            _("Keep the action to %(count)d characters.") % {"count": DESCRIPTION_MAX_LENGTH}
        )
    return description


def _locked_meeting(meeting: Meeting) -> Meeting:
    try:
        return actions._locked_meeting(meeting)
    except Meeting.DoesNotExist:
        raise ValidationError(_("This meeting has been cancelled.")) from None


def _check_open_minutes(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.SIGNED_OFF:
        raise ValidationError(
            _(
                "The minutes of this meeting have been signed off; its action points can no "
                "longer be added or changed. Add an addendum instead."
            )
        )


@transaction.atomic
def add_action_point(
    *,
    meeting: Meeting,
    description: str,
    owner,
    due_date: datetime.date,
    by,
    item: MeetingItem | None = None,
    today: datetime.date | None = None,
) -> ActionPoint:
    """A decision of a planned or held meeting, owned by a member of its school; about one
    pupil when `item` (on this meeting) is given. Locked once the minutes are signed off:
    decisions are part of the minutes."""
    current = _locked_meeting(meeting)
    _check_open_minutes(current)
    description = _check_values(current.school, description, owner, due_date, today)
    if item is not None and item.meeting_id != current.pk:
        raise ValidationError(_("This pupil is not on the agenda of this meeting."))
    return ActionPoint.objects.create(
        meeting=current,
        item=item,
        description=description,
        owner=owner,
        due_date=due_date,
        created_by=by,
    )


def _locked(action: ActionPoint, seen_version: int) -> ActionPoint:
    current = (
        ActionPoint.objects.select_for_update(of=("self",))
        .select_related("meeting__school")
        .get(pk=action.pk)
    )
    if current.version != seen_version:
        raise StaleActionPoint(current)
    return current


@transaction.atomic
def complete(*, action: ActionPoint, seen_version: int, by) -> ActionPoint:
    """Mark the action done (who, when); also after the minutes are signed off."""
    current = _locked(action, seen_version)
    if current.is_done:
        return current
    current.done_by = by
    current.done_at = timezone.now()
    current.version += 1
    current.save()
    return current


@transaction.atomic
def reopen(*, action: ActionPoint, seen_version: int, by) -> ActionPoint:
    """Undo "done": the action is open again."""
    current = _locked(action, seen_version)
    if not current.is_done:
        return current
    current.done_by = None
    current.done_at = None
    current.version += 1
    current.save()
    return current


@transaction.atomic
def edit_action_point(
    *,
    action: ActionPoint,
    description: str,
    owner,
    due_date: datetime.date,
    seen_version: int,
    by,
    today: datetime.date | None = None,
) -> ActionPoint:
    """Correct an open action's description, owner or due date, while the minutes are not
    signed off, over the version the person saw."""
    meeting = _locked_meeting(action.meeting)
    current = _locked(action, seen_version)
    _check_open_minutes(meeting)
    if current.is_done:
        raise ValidationError(_("This action has been done; reopen it to change it."))
    description = _check_values(meeting.school, description, owner, due_date, today)
    changed = (
        current.description != description
        or current.owner_id != owner.pk
        or current.due_date != due_date
    )
    if not changed:
        return current
    current.description = description
    current.owner = owner
    current.due_date = due_date
    current.version += 1
    current.save()
    return current
