"""The one access policy of hgw. Deny by default.

Every view fetches what it shows through these functions: a list through a `*_visible`
queryset, a single object through a `get_*_or_404`. Anything outside what the policy allows
answers 404 (never 403: an outsider learns nothing, not even that a record exists).

Data falls in three categories (see README, "Access"):
- BASIC: name, group, guardians;
- LEARNING: results, overviews, plans, meetings, IHP, OPP;
- SENSITIVE: HGD reports, diagnoses, care-team advice, family notes, consent forms.

Action checks (`can_*`) are plain functions; views pass their answers to templates as
booleans. This module may read every app's models; no model or action imports it.
"""

import dataclasses
import datetime
from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404, HttpRequest
from django.utils import timezone

from accounts.models import Membership, Role
from audit.log import note_pupils
from groupplans.models import GroupOverview, GroupPlan, OverviewStatus, PlanStatus
from meetings.models import (
    ActionPoint,
    Meeting,
    MeetingItem,
    MeetingKind,
    MeetingStatus,
    Registration,
)
from pupils.models import Group, Pupil
from schools.models import School


class Category(StrEnum):
    BASIC = "basic"
    LEARNING = "learning"
    SENSITIVE = "sensitive"


# Which categories of pupil data each role may see at its school. The teacher's reach is
# limited further to their own pupils (see `pupils_visible`); the care-team member's comes
# with the care route (consented cases only) and is empty until then.
_CATEGORIES_BY_ROLE: dict[str, frozenset[Category]] = {
    Role.CARE_COORDINATOR: frozenset(Category),
    Role.DIRECTOR: frozenset({Category.BASIC, Category.LEARNING}),
    Role.TEACHER: frozenset({Category.BASIC, Category.LEARNING}),
    Role.SCHOOL_ADMIN: frozenset({Category.BASIC}),
}
_SCHOOL_WIDE_ROLES = frozenset({Role.CARE_COORDINATOR, Role.DIRECTOR, Role.SCHOOL_ADMIN})


@dataclass(frozen=True)
class Actor:
    """Who is asking, at which school, in which roles, on which day."""

    user: object
    school: School | None
    roles: frozenset[str] = field(default_factory=frozenset)
    today: datetime.date = field(default_factory=timezone.localdate)

    def has(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def only_as(self, role: str) -> "Actor":
        """The same person in one of their roles (e.g. an IB who also teaches, as teacher)."""
        return dataclasses.replace(self, roles=self.roles & {role})


def roles_at(user, school: School | None, on: datetime.date | None = None) -> frozenset[str]:
    # A platform operator has no roles in the app, even if one slipped past Membership.clean.
    if school is None or not user.is_authenticated or user.is_platform_operator:
        return frozenset()
    memberships = Membership.objects.active(on).filter(user=user, school=school)
    return frozenset(memberships.values_list("role", flat=True))


def actor_for(request: HttpRequest) -> Actor:
    """The actor of this request (built once; the school middleware picks the school)."""
    actor = request.__dict__.get("_actor")
    if actor is None:
        school = getattr(request, "school", None)
        actor = Actor(user=request.user, school=school, roles=roles_at(request.user, school))
        request._actor = actor
    return actor


# Groups ------------------------------------------------------------------------------------


def groups_visible(actor: Actor) -> QuerySet[Group]:
    if actor.school is None:
        return Group.objects.none()
    groups = Group.objects.for_school(actor.school)
    if actor.has(*_SCHOOL_WIDE_ROLES):
        return groups
    if actor.has(Role.TEACHER):
        return groups.taught_by(actor.user, on=actor.today)
    return Group.objects.none()


def get_group_or_404(request: HttpRequest, pk: int) -> Group:
    try:
        return groups_visible(actor_for(request)).select_related("school_year").get(pk=pk)
    except Group.DoesNotExist:
        raise Http404 from None


# Pupils ------------------------------------------------------------------------------------


def categories_for(actor: Actor) -> frozenset[Category]:
    allowed: set[Category] = set()
    for role in actor.roles:
        allowed |= _CATEGORIES_BY_ROLE.get(role, frozenset())
    return frozenset(allowed)


def pupils_visible(actor: Actor, category: Category = Category.BASIC) -> QuerySet[Pupil]:
    """The pupils whose data of `category` the actor may see."""
    if actor.school is None:
        return Pupil.objects.none()
    pupils = Pupil.objects.for_school(actor.school)
    school_wide = {r for r in actor.roles if r in _SCHOOL_WIDE_ROLES}
    if any(category in _CATEGORIES_BY_ROLE[role] for role in school_wide):
        return pupils
    if actor.has(Role.TEACHER) and category in _CATEGORIES_BY_ROLE[Role.TEACHER]:
        # Pupils currently in a group the teacher currently teaches; with them comes the
        # pupils' whole history (the handover from earlier teachers).
        return pupils.in_groups(Group.objects.taught_by(actor.user, on=actor.today), on=actor.today)
    return Pupil.objects.none()


def get_pupil_or_404(request: HttpRequest, pk: int, category: Category = Category.BASIC) -> Pupil:
    """The pupil, if the actor may see its `category` data; noted in the access log."""
    try:
        pupil = pupils_visible(actor_for(request), category).get(pk=pk)
    except Pupil.DoesNotExist:
        raise Http404 from None
    note_pupils(request, [pupil])
    return pupil


def can_view(actor: Actor, pupil: Pupil, category: Category) -> bool:
    return pupils_visible(actor, category).filter(pk=pupil.pk).exists()


# Actions -----------------------------------------------------------------------------------


def can_search_pupils(actor: Actor) -> bool:
    return actor.has(*_SCHOOL_WIDE_ROLES)


def can_manage_staff(actor: Actor) -> bool:
    return actor.has(Role.SCHOOL_ADMIN)


def can_view_staff(actor: Actor) -> bool:
    """The staff list and a person's page: the school administration, which manages them,
    and the IB and the privacy officer, who reset the second factor of an IB or director."""
    return actor.has(Role.SCHOOL_ADMIN, Role.CARE_COORDINATOR, Role.PRIVACY_OFFICER)


# Roles whose second factor the school administration may not reset: with it gone a stolen
# password alone opens every pupil's file. Another IB of the school or its privacy officer may.
_GUARDED_SECOND_FACTOR_ROLES = frozenset({Role.CARE_COORDINATOR, Role.DIRECTOR})


def can_reset_two_factor(actor: Actor, person) -> bool:
    """Whether `actor` may reset `person`'s second factor (a lost phone): never their own nor
    a platform operator's; an IB's or director's (at any school) only an IB or the privacy
    officer of a school where that role is held; anyone else's the school administration."""
    if actor.school is None or person.pk == actor.user.pk or person.is_platform_operator:
        return False
    guarded = Membership.objects.current(actor.today).filter(
        user=person, role__in=_GUARDED_SECOND_FACTOR_ROLES
    )
    if guarded.exists():
        return (
            actor.has(Role.CARE_COORDINATOR, Role.PRIVACY_OFFICER)
            and guarded.filter(school=actor.school).exists()
        )
    return actor.has(Role.SCHOOL_ADMIN)


def can_view_security_events(actor: Actor) -> bool:
    """Changes to how people log in and to their roles (also by platform operators): the
    privacy officer of the school."""
    return actor.school is not None and actor.has(Role.PRIVACY_OFFICER)


def can_assign_teachers(actor: Actor, group: Group) -> bool:
    return (
        actor.school is not None
        and group.school_id == actor.school.pk
        and actor.has(Role.SCHOOL_ADMIN, Role.CARE_COORDINATOR)
    )


def can_enter_results(actor: Actor, pupil: Pupil) -> bool:
    """The IB, and the teacher of the pupil's group; the director reads only."""
    if actor.school is None or pupil.school_id != actor.school.pk:
        return False
    if actor.has(Role.CARE_COORDINATOR):
        return True
    return actor.has(Role.TEACHER) and can_view(
        actor.only_as(Role.TEACHER), pupil, Category.LEARNING
    )


def can_write_pupil_log(actor: Actor, pupil: Pupil) -> bool:
    """Adding notes to the pupil log: the IB, and the teacher who may see the pupil's learning
    data; the director reads only."""
    if actor.school is None or pupil.school_id != actor.school.pk:
        return False
    if actor.has(Role.CARE_COORDINATOR):
        return True
    return actor.has(Role.TEACHER) and can_view(
        actor.only_as(Role.TEACHER), pupil, Category.LEARNING
    )


def log_entries_editable(actor: Actor, pupil: Pupil, entries) -> set[int]:
    """The ids of those of `entries` (notes of `pupil`) the actor may edit: the IB any, a
    teacher their own, while they may write in the pupil's log. One check for any number."""
    if not can_write_pupil_log(actor, pupil):
        return set()
    if actor.has(Role.CARE_COORDINATOR):
        return {entry.pk for entry in entries}
    return {entry.pk for entry in entries if entry.author_id == actor.user.pk}


def can_edit_log_entry(actor: Actor, entry) -> bool:
    return entry.pk in log_entries_editable(actor, entry.pupil, [entry])


def can_import(actor: Actor) -> bool:
    """Imports of pupils, staff and results: the school administration and the IB."""
    return actor.has(Role.SCHOOL_ADMIN, Role.CARE_COORDINATOR)


def can_edit_guardians(actor: Actor, pupil: Pupil) -> bool:
    """Guardians are administrative data: the school administration and the IB keep them."""
    return (
        actor.school is not None
        and pupil.school_id == actor.school.pk
        and actor.has(Role.SCHOOL_ADMIN, Role.CARE_COORDINATOR)
    )


# Audit trail -------------------------------------------------------------------------------


def can_view_audit_trail(actor: Actor) -> bool:
    """Who saw and changed pupil data at the school: the IB and the privacy officer."""
    return actor.school is not None and actor.has(Role.CARE_COORDINATOR, Role.PRIVACY_OFFICER)


def can_export_pupil_data(actor: Actor) -> bool:
    """The parents' right of access: the IB exports everything held on one pupil."""
    return actor.school is not None and actor.has(Role.CARE_COORDINATOR)


def get_pupil_in_audit_trail_or_404(request: HttpRequest, pk: int) -> Pupil:
    """A pupil of the school, identified in the audit trail (basic data: the privacy officer
    may do this without seeing the dossier); noted in the access log."""
    actor = actor_for(request)
    if not can_view_audit_trail(actor):
        raise Http404
    try:
        pupil = Pupil.objects.for_school(actor.school).get(pk=pk)
    except Pupil.DoesNotExist:
        raise Http404 from None
    note_pupils(request, [pupil])
    return pupil


def pupils_in_audit_trail(actor: Actor) -> QuerySet[Pupil]:
    """The pupils the actor may identify in the audit trail (their basic data only)."""
    if not can_view_audit_trail(actor):
        return Pupil.objects.none()
    return Pupil.objects.for_school(actor.school)


# Retention ---------------------------------------------------------------------------------


def can_view_retention(actor: Actor) -> bool:
    """The retention page: the IB (who confirms erasures) and the privacy officer (who sees
    the numbers and the erasures made, no pupil)."""
    return actor.school is not None and actor.has(Role.CARE_COORDINATOR, Role.PRIVACY_OFFICER)


def can_purge_pupils(actor: Actor) -> bool:
    """Confirming the erasure of pupils whose retention period has passed: the IB."""
    return actor.school is not None and actor.has(Role.CARE_COORDINATOR)


# Group overviews ---------------------------------------------------------------------------


def _overview_groups(actor: Actor) -> QuerySet[Group]:
    """The groups whose overviews and plans (learning data) the actor may see."""
    if actor.school is None:
        return Group.objects.none()
    groups = Group.objects.for_school(actor.school)
    if actor.has(Role.CARE_COORDINATOR, Role.DIRECTOR):
        return groups
    if actor.has(Role.TEACHER):
        return groups.taught_by(actor.user, on=actor.today)
    return Group.objects.none()


def can_view_overviews(actor: Actor) -> bool:
    """The overviews page: whoever may see learning data at the school."""
    return actor.school is not None and Category.LEARNING in categories_for(actor)


def overviews_visible(actor: Actor) -> QuerySet[GroupOverview]:
    return GroupOverview.objects.for_groups(_overview_groups(actor))


def get_overview_or_404(request: HttpRequest, pk: int) -> GroupOverview:
    """The overview, if the actor may see it. The pupils it shows are noted by the view."""
    try:
        return (
            overviews_visible(actor_for(request))
            .select_related("group__school", "period__school_year", "sent_by", "plan")
            .get(pk=pk)
        )
    except GroupOverview.DoesNotExist:
        raise Http404 from None


def can_create_overview(actor: Actor, group: Group) -> bool:
    """The IB for every group of the school, the teacher for their own groups."""
    if actor.school is None or group.school_id != actor.school.pk:
        return False
    if actor.has(Role.CARE_COORDINATOR):
        return True
    return actor.has(Role.TEACHER) and (
        Group.objects.taught_by(actor.user, on=actor.today).filter(pk=group.pk).exists()
    )


def can_edit_overview(actor: Actor, overview: GroupOverview) -> bool:
    """The teacher of the group and the IB, until the group meeting discussed it."""
    return not overview.is_locked and can_create_overview(actor, overview.group)


def can_send_overview(actor: Actor, overview: GroupOverview) -> bool:
    """Sending to the IB is the teacher's preparation for the group meeting."""
    return (
        overview.status == OverviewStatus.DRAFT
        and actor.has(Role.TEACHER)
        and can_create_overview(actor.only_as(Role.TEACHER), overview.group)
    )


def can_mark_discussed(actor: Actor, overview: GroupOverview) -> bool:
    return (
        overview.status == OverviewStatus.SENT
        and actor.school is not None
        and overview.group.school_id == actor.school.pk
        and actor.has(Role.CARE_COORDINATOR)
    )


def can_configure_signals(actor: Actor) -> bool:
    """The school's signal rules: the IB."""
    return actor.school is not None and actor.has(Role.CARE_COORDINATOR)


# Group plans -------------------------------------------------------------------------------


def plans_visible(actor: Actor) -> QuerySet[GroupPlan]:
    """Plans are seen by whoever sees the group's overviews."""
    return GroupPlan.objects.for_groups(_overview_groups(actor))


def get_plan_or_404(request: HttpRequest, pk: int) -> GroupPlan:
    """The plan, if the actor may see it. The pupils it shows are noted by the view."""
    try:
        return (
            plans_visible(actor_for(request))
            .select_related("group__school", "period__school_year", "overview")
            .get(pk=pk)
        )
    except GroupPlan.DoesNotExist:
        raise Http404 from None


def _teaches(actor: Actor, group: Group) -> bool:
    return (
        actor.school is not None
        and group.school_id == actor.school.pk
        and actor.has(Role.TEACHER)
        and Group.objects.taught_by(actor.user, on=actor.today).filter(pk=group.pk).exists()
    )


def can_create_plan(actor: Actor, overview: GroupOverview) -> bool:
    """The teacher owns the plan: the teacher of the group makes it from the overview."""
    return not hasattr(overview, "plan") and _teaches(actor, overview.group)


def can_edit_plan(actor: Actor, plan: GroupPlan) -> bool:
    """The teacher of the group, until the plan is evaluated. The IB comments."""
    return not plan.is_locked and _teaches(actor, plan.group)


def can_activate_plan(actor: Actor, plan: GroupPlan) -> bool:
    return plan.status == PlanStatus.DRAFT and _teaches(actor, plan.group)


def can_evaluate_plan(actor: Actor, plan: GroupPlan) -> bool:
    return plan.status == PlanStatus.ACTIVE and _teaches(actor, plan.group)


def can_start_next_cycle(actor: Actor, plan: GroupPlan) -> bool:
    return plan.status == PlanStatus.EVALUATED and _teaches(actor, plan.group)


def can_comment_plan(actor: Actor, plan: GroupPlan) -> bool:
    """The IB of the school and the teacher of the group."""
    if actor.school is None or plan.group.school_id != actor.school.pk:
        return False
    return actor.has(Role.CARE_COORDINATOR) or _teaches(actor, plan.group)


def can_configure_plans(actor: Actor) -> bool:
    """The school's plan areas and its library of goals and approaches: the IB."""
    return actor.school is not None and actor.has(Role.CARE_COORDINATOR)


# Meetings ----------------------------------------------------------------------------------

# Who sees every meeting of the school: the IB plans and leads them, the director reads.
_ALL_MEETINGS_ROLES = frozenset({Role.CARE_COORDINATOR, Role.DIRECTOR})


# Who may be asked to a meeting besides them: teachers, and the care team's members.
_ATTENDING_ROLES = frozenset({Role.TEACHER, Role.CARE_TEAM_MEMBER})


def meetings_visible(actor: Actor) -> QuerySet[Meeting]:
    """The IB and the director: every meeting of the school. A teacher or a care-team member:
    the meetings they attend, and a teacher also the group meetings of the groups they teach
    now. Nobody else (the administration, the privacy officer) sees meetings."""
    if actor.school is None:
        return Meeting.objects.none()
    meetings = Meeting.objects.for_school(actor.school)
    if actor.has(*_ALL_MEETINGS_ROLES):
        return meetings
    if not actor.has(*_ATTENDING_ROLES):
        return Meeting.objects.none()
    attended = Q(attendees__user=actor.user)
    if actor.has(Role.TEACHER):
        attended |= Q(group__in=Group.objects.taught_by(actor.user, on=actor.today))
    # A subquery rather than a join: a meeting is listed once, however it is reached.
    return meetings.filter(pk__in=Meeting.objects.filter(attended).values("pk"))


def can_view_meetings(actor: Actor) -> bool:
    """The year plan in the menu: the IB, the director and teachers; a care-team member once
    they attend a meeting (no query at all for the roles that never see meetings)."""
    if actor.school is None:
        return False
    if actor.has(*_ALL_MEETINGS_ROLES, Role.TEACHER):
        return True
    return actor.has(Role.CARE_TEAM_MEMBER) and meetings_visible(actor).exists()


def get_meeting_or_404(request: HttpRequest, pk: int) -> Meeting:
    try:
        return (
            meetings_visible(actor_for(request))
            .select_related("school", "group", "period__school_year", "created_by")
            .get(pk=pk)
        )
    except Meeting.DoesNotExist:
        raise Http404 from None


def can_plan_meetings(actor: Actor) -> bool:
    """The year plan is the IB's: they plan, move and cancel meetings."""
    return actor.school is not None and actor.has(Role.CARE_COORDINATOR)


def can_reschedule_meeting(actor: Actor, meeting: Meeting) -> bool:
    return (
        meeting.status == MeetingStatus.PLANNED
        and meeting.school_id == getattr(actor.school, "pk", None)
        and can_plan_meetings(actor)
    )


def _leads_meeting(actor: Actor, meeting: Meeting) -> bool:
    """The IB of the meeting's school leads, minutes and signs off its meetings."""
    return meeting.school_id == getattr(actor.school, "pk", None) and actor.has(
        Role.CARE_COORDINATOR
    )


def can_manage_attendees(actor: Actor, meeting: Meeting) -> bool:
    return meeting.status != MeetingStatus.SIGNED_OFF and _leads_meeting(actor, meeting)


def can_minute_meeting(actor: Actor, meeting: Meeting) -> bool:
    return meeting.status != MeetingStatus.SIGNED_OFF and _leads_meeting(actor, meeting)


def can_mark_meeting_held(actor: Actor, meeting: Meeting) -> bool:
    return (
        meeting.status == MeetingStatus.PLANNED
        and meeting.date <= actor.today
        and _leads_meeting(actor, meeting)
    )


def can_sign_off_meeting(actor: Actor, meeting: Meeting) -> bool:
    return meeting.status == MeetingStatus.HELD and _leads_meeting(actor, meeting)


def can_add_addendum(actor: Actor, meeting: Meeting) -> bool:
    return meeting.status == MeetingStatus.SIGNED_OFF and _leads_meeting(actor, meeting)


def can_prepare_meeting(actor: Actor, meeting: Meeting) -> bool:
    """The group's teacher fills in the preparation checklist and their own summary of a
    group meeting, until it is signed off."""
    return (
        meeting.kind == MeetingKind.GROUP
        and meeting.status != MeetingStatus.SIGNED_OFF
        and meeting.school_id == getattr(actor.school, "pk", None)
        and actor.has(Role.TEACHER)
        and Group.objects.taught_by(actor.user, on=actor.today).filter(pk=meeting.group_id).exists()
    )


def item_pupils_visible(actor: Actor, items: list[MeetingItem]) -> set[int]:
    """The ids of the pupils on `items` whose names and items the actor may see on the
    meetings' pages (learning data: the IB and the director all, a teacher their own pupils;
    a care-team member those on the care-team meetings they attend). One query for any
    number."""
    pupil_ids = {item.pupil_id for item in items}
    if not pupil_ids:
        return set()
    visible = pupils_visible(actor, Category.LEARNING).filter(pk__in=pupil_ids)
    found = set(visible.values_list("pk", flat=True))
    if actor.has(Role.CARE_TEAM_MEMBER) and pupil_ids - found:
        # A care-team member: only through the care route, and only the items of the meetings
        # they attend (a document selected for them is read as its report: see
        # `can_download_item_report`).
        found |= care_team_item_pupils(actor, items, attended_only=True)
    return found


def can_view_item(actor: Actor, item: MeetingItem, visible: set[int] | None = None) -> bool:
    """An item's page with its minutes (the notes, the growth document, the outcome, the care
    team's question): whoever may see the pupil's learning data at the meeting's school; a
    care-team member the items of the care-team meetings they attend. `visible`: the ids
    `item_pupils_visible` gave for a list the item is in (saves a query per item)."""
    if item.meeting.school_id != getattr(actor.school, "pk", None):
        return False
    if visible is None:
        visible = item_pupils_visible(actor, [item])
    return item.pupil_id in visible


def can_view_advice(actor: Actor, item: MeetingItem, visible: set[int] | None = None) -> bool:
    """A care-team item's advice, agreements and follow-up are sensitive: the IB of the
    school sees them, and the director, a formal member of the care team (read only: the IB
    minutes and shares); the pupil's teacher once the IB has shared them."""
    if item.meeting.school_id != getattr(actor.school, "pk", None):
        return False
    if actor.has(Role.CARE_COORDINATOR, Role.DIRECTOR):
        return True
    if actor.has(Role.CARE_TEAM_MEMBER) and care_team_item_pupils(actor, [item]):
        # The care team's item of a meeting they attend, or one the IB selected for them.
        return True
    if item.shared_at is None or not actor.has(Role.TEACHER):
        return False
    if visible is None:
        visible = item_pupils_visible(actor.only_as(Role.TEACHER), [item])
    return item.pupil_id in visible


def can_share_advice(actor: Actor, item: MeetingItem) -> bool:
    return (
        item.meeting.kind == MeetingKind.CARE_TEAM
        and item.meeting.status == MeetingStatus.SIGNED_OFF
        and item.shared_at is None
        and _leads_meeting(actor, item.meeting)
    )


def can_download_item_report(
    actor: Actor, item: MeetingItem, visible: set[int] | None = None
) -> bool:
    """A signed-off pupil or care-team item's report (filed in the pupil's dossier): whoever
    may read the whole item; for a care-team item that includes its advice. A care-team
    member also reads the report of an item the IB selected for their case (the document
    only: its page stays closed to them)."""
    meeting = item.meeting
    if meeting.status != MeetingStatus.SIGNED_OFF or meeting.kind == MeetingKind.GROUP:
        return False
    if meeting.kind == MeetingKind.CARE_TEAM:
        return can_view_advice(actor, item, visible)
    if can_view_item(actor, item, visible):
        return True
    return actor.has(Role.CARE_TEAM_MEMBER) and bool(care_team_item_pupils(actor, [item]))


def can_download_meeting_report(actor: Actor, meeting: Meeting) -> bool:
    """A signed-off group meeting's report (filed with the group): the IB, the director and
    the group's teachers. `meeting` must be one the actor may see."""
    return (
        meeting.kind == MeetingKind.GROUP
        and meeting.status == MeetingStatus.SIGNED_OFF
        and groups_visible(actor).filter(pk=meeting.group_id).exists()
    )


# Action points -----------------------------------------------------------------------------

# Who may own action points, and so has "My actions": the roles that take part in meetings.
_ACTION_POINT_ROLES = frozenset(
    {Role.TEACHER, Role.CARE_COORDINATOR, Role.DIRECTOR, Role.CARE_TEAM_MEMBER}
)


def can_have_action_points(actor: Actor) -> bool:
    """ "My actions" in the menu and on the home page (no query)."""
    return actor.school is not None and actor.has(*_ACTION_POINT_ROLES)


def action_points_visible(actor: Actor) -> QuerySet[ActionPoint]:
    """The owner sees their own action points; the IB every one of the school; nobody else
    any. Only at the school the actor works at now."""
    if not can_have_action_points(actor):
        return ActionPoint.objects.none()
    points = ActionPoint.objects.filter(meeting__school=actor.school)
    if actor.has(Role.CARE_COORDINATOR):
        return points
    return points.filter(owner=actor.user)


def get_action_point_or_404(request: HttpRequest, pk: int) -> ActionPoint:
    try:
        return (
            action_points_visible(actor_for(request))
            .select_related("meeting__school", "meeting__group", "owner", "item")
            .get(pk=pk)
        )
    except ActionPoint.DoesNotExist:
        raise Http404 from None


def can_view_school_action_points(actor: Actor) -> bool:
    """ "All action points" of the school: the IB's overview."""
    return actor.school is not None and actor.has(Role.CARE_COORDINATOR)


def can_add_action_point(actor: Actor, meeting: Meeting) -> bool:
    """The IB records decisions while the meeting is planned or held; the signed-off minutes
    are locked (an addendum explains later corrections)."""
    return meeting.status != MeetingStatus.SIGNED_OFF and _leads_meeting(actor, meeting)


def can_complete_action_point(actor: Actor, action: ActionPoint) -> bool:
    """The owner or the school's IB mark an action done or open again (also after sign-off)."""
    if action.meeting.school_id != getattr(actor.school, "pk", None):
        return False
    if not can_have_action_points(actor):
        return False
    return action.owner_id == actor.user.pk or actor.has(Role.CARE_COORDINATOR)


def can_edit_action_point(actor: Actor, action: ActionPoint) -> bool:
    """The IB corrects an open action while the minutes are not signed off."""
    return (
        not action.is_done
        and action.meeting.status != MeetingStatus.SIGNED_OFF
        and _leads_meeting(actor, action.meeting)
    )


def action_point_pupils_visible(actor: Actor, points: list[ActionPoint]) -> set[int]:
    """The ids of the pupils the actor may see by name among `points` that are about a pupil
    (their `item` fetched). One query for any number; none when none is about a pupil."""
    return item_pupils_visible(actor, [p.item for p in points if p.item_id is not None])


def meeting_ids_visible(actor: Actor, meeting_ids) -> set[int]:
    """Which of these meetings the actor may open (one query)."""
    ids = set(meeting_ids)
    if not ids:
        return set()
    return set(meetings_visible(actor).filter(pk__in=ids).values_list("pk", flat=True))


# Registrations for a pupil meeting ---------------------------------------------------------


def registrations_visible(actor: Actor) -> QuerySet[Registration]:
    """The IB: every registration of the school. A teacher: those of the pupils they may see
    now (their groups' pupils). Nobody else."""
    if actor.school is None:
        return Registration.objects.none()
    registrations = Registration.objects.filter(school=actor.school)
    if actor.has(Role.CARE_COORDINATOR):
        return registrations
    if actor.has(Role.TEACHER):
        pupils = pupils_visible(actor.only_as(Role.TEACHER), Category.LEARNING)
        return registrations.filter(pupil__in=pupils)
    return Registration.objects.none()


def can_view_registrations(actor: Actor) -> bool:
    """The list of registrations: the IB and teachers."""
    return actor.school is not None and actor.has(Role.CARE_COORDINATOR, Role.TEACHER)


def get_registration_or_404(request: HttpRequest, pk: int) -> Registration:
    """The registration, if the actor may see it; its pupil noted in the access log."""
    try:
        registration = (
            registrations_visible(actor_for(request))
            .select_related("pupil", "created_by", "submitted_by")
            .get(pk=pk)
        )
    except Registration.DoesNotExist:
        raise Http404 from None
    note_pupils(request, [registration.pupil_id])
    return registration


def can_register(actor: Actor, pupil: Pupil) -> bool:
    """The pupil's teacher registers them for a pupil meeting; the IB may on their behalf."""
    if actor.school is None or pupil.school_id != actor.school.pk:
        return False
    if actor.has(Role.CARE_COORDINATOR):
        return True
    return actor.has(Role.TEACHER) and can_view(
        actor.only_as(Role.TEACHER), pupil, Category.LEARNING
    )


def can_edit_registration(actor: Actor, registration: Registration) -> bool:
    """A draft, by whoever may register its pupil; a submitted registration is locked."""
    return not registration.is_submitted and can_register(actor, registration.pupil)


def can_attach_registrations(actor: Actor, meeting: Meeting) -> bool:
    """The IB puts registrations on a pupil meeting's agenda until it is signed off."""
    return (
        meeting.kind == MeetingKind.PUPIL
        and meeting.status != MeetingStatus.SIGNED_OFF
        and _leads_meeting(actor, meeting)
    )


def can_minute_items(actor: Actor, meeting: Meeting) -> bool:
    """The IB writes the growth document of each pupil of a pupil meeting, until signed off."""
    return meeting.kind == MeetingKind.PUPIL and can_minute_meeting(actor, meeting)


def meetings_in_feed(user) -> QuerySet[Meeting]:
    """The meetings on a person's calendar link: what they may see in the year plan at each
    school where they have a role today (the link has no session, so no chosen school)."""
    found = Meeting.objects.none()
    memberships = Membership.objects.active().filter(user=user, school__isnull=False)
    for school in School.objects.filter(pk__in=memberships.values("school_id")).order_by("pk"):
        actor = Actor(user=user, school=school, roles=roles_at(user, school))
        found = found | meetings_visible(actor)
    return found


# Diagnostics (HGD) --------------------------------------------------------------------------


def _is_ib_of(actor: Actor, pupil: Pupil) -> bool:
    return pupil.school_id == getattr(actor.school, "pk", None) and actor.has(Role.CARE_COORDINATOR)


def can_request_hgd(actor: Actor, pupil: Pupil) -> bool:
    """The IB of the pupil's school asks for diagnostics (the route level is the action's)."""
    return _is_ib_of(actor, pupil)


def can_edit_hgd(actor: Actor, hgd) -> bool:
    """The request, the report and the recommendations: the IB of the pupil's school."""
    return _is_ib_of(actor, hgd.pupil)


def can_view_hgd(actor: Actor, hgd) -> bool:
    """Sensitive: the IB of the school; the pupil's current teacher once the IB has shared the
    recommendations (then those and the needs, never the report file); nobody else."""
    if _is_ib_of(actor, hgd.pupil):
        return True
    if hgd.shared_at is None or not actor.has(Role.TEACHER):
        return False
    return can_view(actor.only_as(Role.TEACHER), hgd.pupil, Category.LEARNING)


def can_download_hgd_report(actor: Actor, hgd) -> bool:
    """The report file itself: the IB of the school only."""
    return bool(hgd.report) and _is_ib_of(actor, hgd.pupil)


def get_hgd_or_404(request: HttpRequest, pk: int):
    """A diagnostics request the actor may see; its pupil noted in the access log."""
    from careroute.models import HGDRequest

    try:
        hgd = HGDRequest.objects.select_related("pupil", "shared_by", "created_by").get(pk=pk)
    except HGDRequest.DoesNotExist:
        raise Http404 from None
    if not can_view_hgd(actor_for(request), hgd):
        raise Http404
    note_pupils(request, [hgd.pupil])
    return hgd


# The care route ----------------------------------------------------------------------------


def can_view_route(actor: Actor, pupil: Pupil) -> bool:
    """A pupil's route is learning data: the IB, the director and the pupil's teacher."""
    return can_view(actor, pupil, Category.LEARNING)


def can_move(actor: Actor, pupil: Pupil, move) -> bool:
    """Who may make a move of the route (a `careroute.route.Move`): its roles, where
    "teacher" means the pupil's own teacher (who sees their learning data as teacher). The
    director reads only; nobody moves another school's pupil."""
    if actor.school is None or pupil.school_id != actor.school.pk:
        return False
    if Role.CARE_COORDINATOR in move.roles and actor.has(Role.CARE_COORDINATOR):
        return True
    return (
        Role.TEACHER in move.roles
        and actor.has(Role.TEACHER)
        and can_view(actor.only_as(Role.TEACHER), pupil, Category.LEARNING)
    )


# The individual plan (IHP) and the development perspective (OPP) ----------------------------


def can_view_ihp(actor: Actor, pupil: Pupil) -> bool:
    """Learning data: the IB, the director (read only) and the pupil's current teacher."""
    return actor.has(Role.CARE_COORDINATOR, Role.DIRECTOR, Role.TEACHER) and can_view(
        actor, pupil, Category.LEARNING
    )


def _ihp_writer(actor: Actor, pupil: Pupil) -> bool:
    if actor.school is None or pupil.school_id != actor.school.pk:
        return False
    if actor.has(Role.CARE_COORDINATOR):
        return True
    return actor.has(Role.TEACHER) and can_view(
        actor.only_as(Role.TEACHER), pupil, Category.LEARNING
    )


def can_create_ihp(actor: Actor, pupil: Pupil) -> bool:
    """Made by the teacher and the IB together: either of them starts a draft."""
    return _ihp_writer(actor, pupil)


def can_edit_ihp(actor: Actor, ihp) -> bool:
    """The IB and the pupil's current teacher, until the IHP is evaluated."""
    return ihp.status != "evaluated" and _ihp_writer(actor, ihp.pupil)


def can_add_data_point(actor: Actor, ihp) -> bool:
    return ihp.status == "active" and _ihp_writer(actor, ihp.pupil)


def can_start_ihp(actor: Actor, ihp) -> bool:
    return ihp.status == "draft" and _is_ib_of(actor, ihp.pupil)


def can_evaluate_ihp(actor: Actor, ihp) -> bool:
    return ihp.status == "active" and _is_ib_of(actor, ihp.pupil)


def can_revise_ihp(actor: Actor, ihp) -> bool:
    return ihp.status == "evaluated" and _ihp_writer(actor, ihp.pupil)


def can_view_opp(actor: Actor, pupil: Pupil) -> bool:
    return can_view_ihp(actor, pupil)


def can_edit_opp(actor: Actor, pupil: Pupil) -> bool:
    """The IB makes and keeps the OPP."""
    return _is_ib_of(actor, pupil)


# The care team (the care route) ---------------------------------------------------------------


def _consented_cases(actor: Actor):
    """The not-closed care-team cases of the actor's school whose consent stands: every
    guardian with parental authority (at least one) has given it for the case's registration
    as their standing decision (`careroute.consent`: the latest by decision date, made by
    today), not ended. One subquery (no query of its own)."""
    from careroute.consent import STANDING_ORDER, counts_on
    from careroute.models import (
        CareTeamCase,
        CaseStatus,
        Consent,
        ConsentDecision,
        ConsentPurpose,
    )
    from pupils.models import Guardian

    if actor.school is None:
        return CareTeamCase.objects.none()
    latest = Consent.objects.filter(
        counts_on(actor.today),
        pupil=OuterRef(OuterRef("pupil_id")),
        guardian=OuterRef("pk"),
        purpose=ConsentPurpose.CARE_TEAM,
        care_team_registration=OuterRef(OuterRef("registration_id")),
    ).order_by(*STANDING_ORDER)
    authority = Guardian.objects.filter(pupil=OuterRef("pupil_id"), has_parental_authority=True)
    not_given = authority.annotate(
        decision=Subquery(latest.values("decision")[:1]),
        ends=Subquery(latest.values("end_date")[:1]),
    ).filter(
        Q(decision__isnull=True)
        | ~Q(decision=ConsentDecision.GIVEN)
        | Q(ends__isnull=False, ends__lt=actor.today)
    )
    return (
        CareTeamCase.objects.filter(pupil__school=actor.school)
        .exclude(status=CaseStatus.CLOSED)
        .filter(Exists(authority), ~Exists(not_given))
    )


def care_team_pupils_visible(actor: Actor) -> QuerySet[Pupil]:
    """A care-team member's pupils: those with a not-closed case at the school whose consent
    stands. One query; read anew on every request, so access ends the moment consent falls or
    the case closes."""
    if actor.school is None or not actor.has(Role.CARE_TEAM_MEMBER):
        return Pupil.objects.none()
    return Pupil.objects.filter(pk__in=_consented_cases(actor).values("pupil_id"))


def _attended_care_team_meetings(actor: Actor):
    return Meeting.objects.filter(
        school=actor.school, kind=MeetingKind.CARE_TEAM, attendees__user=actor.user
    ).values("pk")


def care_team_items_attended(actor: Actor) -> QuerySet[MeetingItem]:
    """The items a care-team member opens as pages: their consented pupils' items of the
    care-team meetings they attend."""
    if actor.school is None or not actor.has(Role.CARE_TEAM_MEMBER):
        return MeetingItem.objects.none()
    return MeetingItem.objects.filter(
        meeting__in=_attended_care_team_meetings(actor),
        meeting__school=actor.school,
        pupil__in=care_team_pupils_visible(actor),
    )


def care_team_items_visible(actor: Actor) -> QuerySet[MeetingItem]:
    """The meeting items a care-team member may read, of their consented pupils: the items of
    care-team meetings they attend (as pages), and the items the IB selected as documents for
    the case (as their reports only)."""
    from careroute.models import CaseDocument

    if actor.school is None or not actor.has(Role.CARE_TEAM_MEMBER):
        return MeetingItem.objects.none()
    selected = CaseDocument.objects.filter(
        registration__case__in=_consented_cases(actor), meeting_item__isnull=False
    ).values("meeting_item_id")
    return MeetingItem.objects.filter(
        Q(meeting__in=_attended_care_team_meetings(actor)) | Q(pk__in=selected),
        meeting__school=actor.school,
        pupil__in=care_team_pupils_visible(actor),
    )


def care_team_item_pupils(
    actor: Actor, items: list[MeetingItem], *, attended_only: bool = False
) -> set[int]:
    """The ids of the pupils on `items` a care-team member may read there (one query); with
    `attended_only`, on the items they may open as pages."""
    item_ids = {item.pk for item in items if item.pk is not None}
    if not item_ids or not actor.has(Role.CARE_TEAM_MEMBER):
        return set()
    readable = care_team_items_attended if attended_only else care_team_items_visible
    found = readable(actor).filter(pk__in=item_ids)
    return set(found.values_list("pupil_id", flat=True))


def case_documents_visible(actor: Actor):
    """The documents selected for the consented, not-closed cases: the care-team member's
    (and the IB's, who selects them)."""
    from careroute.models import CaseDocument

    if actor.school is None:
        return CaseDocument.objects.none()
    documents = CaseDocument.objects.filter(registration__pupil__school=actor.school)
    if actor.has(Role.CARE_COORDINATOR):
        return documents
    if actor.has(Role.CARE_TEAM_MEMBER):
        return documents.filter(registration__case__in=_consented_cases(actor))
    return CaseDocument.objects.none()


def selected_for_member(actor: Actor, **document) -> bool:
    """A care-team member opens an IHP, an OPP or a diagnostics report only when the IB
    selected it for the pupil's consented, not-closed case (`ihp=`, `opp=` or `hgd_request=`)."""
    if not actor.has(Role.CARE_TEAM_MEMBER):
        return False
    return case_documents_visible(actor).filter(**document).exists()


def can_configure_care_route(actor: Actor) -> bool:
    """The school's choices for its care route (e.g. an OPP before the care team): the IB."""
    return actor.school is not None and actor.has(Role.CARE_COORDINATOR)


def can_manage_care_team(actor: Actor, pupil: Pupil) -> bool:
    """Consent, the care-team registration, its documents and the case: the school's IB."""
    return _is_ib_of(actor, pupil)


def get_documents_pupil_or_404(request: HttpRequest, pk: int) -> Pupil:
    """The pupil of the dossier tab "documenten": the IB (sensitive data), or a care-team
    member while the pupil has a consented, not-closed case. Noted in the access log."""
    actor = actor_for(request)
    try:
        if Category.SENSITIVE in categories_for(actor):
            pupil = pupils_visible(actor, Category.SENSITIVE).get(pk=pk)
        else:
            pupil = care_team_pupils_visible(actor).get(pk=pk)
    except Pupil.DoesNotExist:
        raise Http404 from None
    note_pupils(request, [pupil])
    return pupil


def can_view_consent_form(actor: Actor, consent) -> bool:
    """A signed consent form is sensitive: the IB of the pupil's school."""
    return _is_ib_of(actor, consent.pupil)
