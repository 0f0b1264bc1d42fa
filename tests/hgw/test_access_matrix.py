"""The access matrix: every URL of hgw, for every persona, with the expected answer.

It walks the URL resolver, so a URL added without an entry here fails
`test_every_url_has_an_entry`. Expected answers:
- 200 / 302: that status (302 not to the login page);
- LOGIN: a redirect to the login page (the persona is not signed in);
- 404: denied; outsiders never learn that something exists.
"""

from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests import pdfs
from tests.conftest import PERSONAS

LOGIN = "login"
SIGNED_IN = [p for p in PERSONAS if p != "anonymous"]
AT_SCHOOL = [p for p in SIGNED_IN if p not in ("board", "superuser")]


def _all(value, **overrides) -> dict:
    expected = dict.fromkeys(SIGNED_IN, value)
    expected["anonymous"] = LOGIN
    expected.update(overrides)
    return expected


def _only(allowed: dict, otherwise=404) -> dict:
    return _all(otherwise, **allowed)


def _public(value=200) -> dict:
    return dict.fromkeys(PERSONAS, value)


@dataclass
class Entry:
    expected: dict
    kwargs: object = None  # callable(world) -> dict
    method: str = "get"
    data: object = field(default_factory=dict)  # a dict, or callable(world) -> dict


def pupil(world):
    return {"pk": world.pupil.pk}


def group(world):
    return {"pk": world.group.pk}


# For the pupil of group A (taught by "teacher"): who sees what.
SEES_PUPIL = {"teacher": 200, "care_coordinator": 200, "director": 200, "school_admin": 200}
SCHOOL_WIDE = {"care_coordinator": 200, "director": 200, "school_admin": 200}

IMPORTERS = {"care_coordinator": 200, "school_admin": 200}
GUARDIAN_KEEPERS = IMPORTERS
AUDIT_READERS = {"care_coordinator": 200, "privacy_officer": 200}
STAFF_READERS = {"school_admin": 200, "care_coordinator": 200, "privacy_officer": 200}


def _import(world, status="cancelled"):
    from pupils.models import ImportRecord

    return ImportRecord.objects.create(
        school=world.school,
        kind="results_csv",
        file_name="toetsen.csv",
        status=status,
        data={
            "headers": ["Leerlingnummer"],
            "rows": [[2, {"Leerlingnummer": "L1"}]],
            "problems": [],
        },
        options={"columns": {}},
    )


def log_entry(world):
    """The note on the pupil of group A, written by their teacher (made once per test)."""
    from pupils.models import PupilLogEntry
    from tests.factories import PupilLogEntryFactory

    entry = PupilLogEntry.objects.filter(pupil=world.pupil).first()
    return entry or PupilLogEntryFactory(pupil=world.pupil, author=world.users["teacher"])


# The pupil log: read with the learning data; written by the teacher and the IB; a note is
# edited by its author (here the teacher) and the IB.
LOG_WRITERS = {"teacher": 200, "care_coordinator": 200}


def _overview(world, sent=False):
    """The overview of group A (taught by "teacher") for this period (made once per test)."""
    from groupplans import actions
    from groupplans.models import GroupOverview
    from schools.actions import ensure_default_periods

    overview = GroupOverview.objects.filter(group=world.group).first()
    if overview is None:
        period = ensure_default_periods(school=world.school, school_year=world.group.school_year)[0]
        overview = actions.create_overview(
            group=world.group, period=period, by=world.users["teacher"]
        )
    if sent and overview.status == "draft":
        overview = actions.send_overview(
            overview=overview, questions="", by=world.users["teacher"], notify=False
        )
    return overview


def overview(world):
    return {"pk": _overview(world).pk}


def overview_row(world):
    found = _overview(world)
    return {"pk": found.pk, "row_pk": found.rows.get().pk}


def _plan(world, status="draft"):
    """The plan of group A's overview (made once per test), in the given status."""
    from groupplans import plan_actions
    from groupplans.models import GroupPlan, Outcome, PlanStatus, Subgroup

    overview = _overview(world)
    plan = GroupPlan.objects.filter(overview=overview).first()
    teacher = world.users["teacher"]
    if plan is None:
        plan = plan_actions.create_plan(overview=overview, by=teacher)
    if status != "draft" and plan.status == PlanStatus.DRAFT:
        for section in plan.sections.all():
            plan_actions.accept_suggestions(section=section, by=teacher)
        for subgroup in Subgroup.objects.filter(section__plan=plan):
            subgroup.goal_didactic = subgroup.goal_measure = subgroup.goal_criterion = "x"
            subgroup.goal_date = overview.period.end_date
            subgroup.save()
        plan = plan_actions.activate_plan(plan=plan, by=teacher)
    if status == "evaluated" and plan.status == PlanStatus.ACTIVE:
        for subgroup in Subgroup.objects.filter(section__plan=plan):
            subgroup.outcome = Outcome.REACHED
            subgroup.save()
        plan = plan_actions.evaluate_plan(plan=plan, by=teacher)
    return plan


def plan(world):
    return {"pk": _plan(world).pk}


def active_plan(world):
    return {"pk": _plan(world, "active").pk}


def plan_section(world):
    found = _plan(world)
    return {"pk": found.pk, "section_pk": found.sections.first().pk}


def plan_subgroup(world):
    from groupplans.models import Subgroup

    found = _plan(world)
    return {"pk": found.pk, "subgroup_pk": Subgroup.objects.filter(section__plan=found)[0].pk}


def active_subgroup(world):
    from groupplans.models import Subgroup

    found = _plan(world, "active")
    return {"pk": found.pk, "subgroup_pk": Subgroup.objects.filter(section__plan=found)[0].pk}


def active_placement(world):
    from groupplans.models import Placement

    found = _plan(world, "active")
    return {"pk": found.pk, "placement_pk": Placement.objects.filter(section__plan=found)[0].pk}


def _maths(world):
    from pupils.models import Instrument

    return {"instrument_pk": Instrument.objects.get(name="Cito Rekenen-Wiskunde").pk}


def school_areas(world) -> dict:
    """No arguments; the school has its default plan areas already (the IB's first visit to
    the configuration pages makes them), so opening a page writes nothing."""
    from groupplans import plan_actions

    plan_actions.ensure_default_areas(world.school)
    return {}


def plan_area(world):
    from groupplans.models import PlanArea

    school_areas(world)
    return {"pk": PlanArea.objects.filter(school=world.school).first().pk}


def library_entry(world):
    from groupplans.models import OfferTemplate

    school_areas(world)
    entry, _made = OfferTemplate.objects.get_or_create(
        school=world.school, title="Rekenen zorggroep", defaults={"goal_didactic": "Tafels"}
    )
    return {"pk": entry.pk}


# The school's plan areas and library: its IB (the other school's IB sees their own).
PLAN_CONFIGURERS = {"care_coordinator": 200, "other_school_ib": 200}


# Group overviews: learning data. The teacher of the group and the IB edit, the director reads.
OVERVIEW_READERS = {"teacher": 200, "care_coordinator": 200, "director": 200}
# The list is there for everyone who may see learning data (each sees their own groups).
OVERVIEW_LIST = OVERVIEW_READERS | {"other_teacher": 200, "other_school_ib": 200}


def _meeting(world):
    """The group meeting of group A (taught by "teacher") in the first period, planned by the
    IB (made once per test)."""
    import datetime

    from meetings import actions
    from meetings.models import Meeting
    from schools.actions import ensure_default_periods

    # The first period's, by name: the second period's may exist (`signed_off_meeting`).
    period = ensure_default_periods(school=world.school, school_year=world.group.school_year)[0]
    meeting = Meeting.objects.filter(group=world.group, period=period).first()
    if meeting is None:
        meeting = actions.plan_meeting(
            school=world.school,
            kind="group",
            group=world.group,
            period=period,
            date=period.end_date - datetime.timedelta(days=7),
            by=world.users["care_coordinator"],
        )
    return meeting


def meeting(world):
    return {"pk": _meeting(world).pk}


def signed_off_meeting(world):
    """Group A's group meeting of the second period (so the first one stays planned for the
    other URLs), held and signed off by the IB."""
    import datetime

    from groupplans.actions import send_overview
    from groupplans.models import GroupOverview, OverviewStatus
    from meetings import actions
    from meetings.models import Meeting
    from schools.actions import ensure_default_periods

    ib = world.users["care_coordinator"]
    period = ensure_default_periods(school=world.school, school_year=world.group.school_year)[1]
    found = Meeting.objects.filter(group=world.group, period=period).first()
    if found is None:
        found = actions.plan_meeting(
            school=world.school,
            kind="group",
            group=world.group,
            period=period,
            date=period.end_date - datetime.timedelta(days=7),
            by=ib,
        )
    if found.status == "planned":
        found = actions.mark_held(meeting=found, by=ib, today=found.date)
    if found.status == "held":
        # A draft overview of the group and period (made for another URL) is sent first.
        for overview in GroupOverview.objects.filter(
            group=found.group, period=found.period, status=OverviewStatus.DRAFT
        ):
            send_overview(overview=overview, questions="", by=world.users["teacher"], notify=False)
        actions.sign_off(meeting=found, by=ib)
    return {"pk": found.pk}


def meeting_attendee(world):
    """The IB's place on the list of the group meeting above."""
    found = _meeting(world)
    attendee = found.attendees.get(user=world.users["care_coordinator"])
    return {"pk": found.pk, "attendee_pk": attendee.pk}


def group_item(world):
    """The pupil of group A zoomed in on in the group meeting above."""
    from meetings import actions

    meeting = _meeting(world)
    item = meeting.items.first() or actions.add_group_item(
        meeting=meeting, pupil=world.pupil, by=world.users["care_coordinator"]
    )
    return {"pk": item.pk}


def care_team_item(world):
    """The pupil of group A on a care-team meeting (put there as the care route will), with
    the team's advice, held and signed off; the advice not shared with the teacher."""
    import datetime

    from meetings import actions
    from meetings.models import MeetingItem

    found = MeetingItem.objects.filter(meeting__kind="care_team").first()
    if found is None:
        ib = world.users["care_coordinator"]
        day = world.group.school_year.start_date + datetime.timedelta(days=60)
        meeting = actions.plan_meeting(school=world.school, kind="care_team", date=day, by=ib)
        found = actions.add_care_team_item(
            meeting=meeting, pupil=world.pupil, documents=["Groeidocument"], by=ib
        )
        found = actions.save_item(item=found, values={"advice": "Advies"}, seen_version=1, by=ib)
        actions.mark_held(meeting=meeting, by=ib, today=day)
        actions.sign_off(meeting=meeting, by=ib)
    return {"pk": found.pk}


def _action_point(world, done=False):
    """An action point of the group meeting above, owned by the teacher of group A (made once
    per test); done when asked, else open."""
    import datetime

    from meetings import action_points
    from meetings.models import ActionPoint

    found = ActionPoint.objects.filter(meeting=_meeting(world)).first()
    if found is None:
        found = action_points.add_action_point(
            meeting=_meeting(world),
            description="Rekenles aanpassen",
            owner=world.users["teacher"],
            due_date=datetime.date.today() - datetime.timedelta(days=3),
            by=world.users["care_coordinator"],
        )
    if done and not found.is_done:
        found = action_points.complete(
            action=found, seen_version=found.version, by=world.users["teacher"]
        )
    elif not done and found.is_done:
        found = action_points.reopen(
            action=found, seen_version=found.version, by=world.users["teacher"]
        )
    return found


def action_point(world):
    return {"pk": _action_point(world).pk}


def done_action_point(world):
    return {"pk": _action_point(world, done=True).pk}


def feed_token(world):
    from meetings.actions import renew_calendar_feed

    return {"token": renew_calendar_feed(user=world.users["teacher"])}


# Meetings: the IB and the director see every meeting of the school; a teacher the group
# meetings of their groups (and the meetings they attend). The IB plans (each at their own
# school). The year plan is there for everyone who may see meetings at all.
MEETING_READERS = {"teacher": 200, "care_coordinator": 200, "director": 200}
YEAR_PLAN = MEETING_READERS | {"other_teacher": 200, "other_school_ib": 200}
MEETING_PLANNERS = {"care_coordinator": 200, "other_school_ib": 200}
ACTION_OWNERS = YEAR_PLAN | {"care_team_member": 200}
ACTION_TOGGLERS = {"teacher": 302, "care_coordinator": 302}


def _registration(world, submitted=False):
    """A registration of the pupil of group A by their teacher: a draft, or a submitted one
    (one of each per test)."""
    from meetings import registrations
    from meetings.models import Registration

    found = Registration.objects.filter(
        pupil=world.pupil, submitted_at__isnull=not submitted
    ).first()
    if found is None:
        teacher = world.users["teacher"]
        found = registrations.start_registration(
            pupil=world.pupil, question="Rekenen?", tried="Verlengde instructie", by=teacher
        )
        if submitted:
            found = registrations.submit_registration(registration=found, by=teacher)
    return found


def draft_registration(world):
    return {"pk": _registration(world).pk}


def register_pupil(world):
    return {"pupil_pk": world.pupil.pk}


def _pupil_meeting(world):
    """A pupil meeting planned by the IB with the pupil of group A on it (their submitted
    registration attached: their teacher attends), made once per test."""
    import datetime

    from meetings import actions, registrations
    from meetings.models import Meeting

    found = Meeting.objects.filter(school=world.school, kind="pupil").first()
    if found is None:
        ib = world.users["care_coordinator"]
        day = world.group.school_year.start_date + datetime.timedelta(days=30)
        found = actions.plan_meeting(school=world.school, kind="pupil", date=day, by=ib)
        registrations.attach_registration(
            meeting=found, registration=_registration(world, submitted=True), by=ib
        )
    return found


def pupil_meeting(world):
    return {"pk": _pupil_meeting(world).pk}


def pupil_meeting_item(world):
    found = _pupil_meeting(world)
    return {"pk": found.pk, "item_pk": found.items.get().pk}


# Registrations for a pupil meeting: the pupil's teacher and the IB register and edit a
# draft; the list is there for the IB and teachers (each their own). The IB puts them on a
# pupil meeting; the growth document is the IB's, read by the pupil's teacher and the director.
REGISTRANTS = {"teacher": 200, "care_coordinator": 200}


def _hgd(world):
    """A diagnostics request for the pupil of group A (at level 2), with the parents' consent,
    the report uploaded and the IB's recommendations, not shared (made once per test)."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from careroute import hgd
    from careroute.models import CareRoute, Consent, HGDRequest

    found = HGDRequest.objects.filter(pupil=world.pupil).first()
    if found is None:
        ib = world.users["care_coordinator"]
        CareRoute.objects.get_or_create(
            pupil=world.pupil, defaults={"school": world.school, "level": 2}
        )
        found = hgd.request_hgd(
            pupil=world.pupil, question="Lezen?", expert_name="Drs. Jansen", by=ib
        )
        Consent.objects.create(
            pupil=world.pupil,
            guardian=world.pupil.guardians.get(),
            purpose="hgd",
            hgd_request=found,
            decision="given",
            decided_on=timezone.localdate(),
            how="conversation",
            recorded_by=ib,
        )
        report = SimpleUploadedFile("verslag.pdf", pdfs.plain())
        found = hgd.upload_report(request=found, file=report, by=ib)
        found = hgd.save_recommendations(
            request=found,
            recommendations="Korte instructie",
            educational_needs="Extra leestijd",
            seen_version=found.version,
            by=ib,
        )
    return found


def hgd_request(world):
    return {"pk": _hgd(world).pk}


def hgd_pupil(world):
    """The pupil of group A at level 2 of the route (diagnostics can be requested)."""
    from careroute.models import CareRoute

    CareRoute.objects.get_or_create(
        pupil=world.pupil, defaults={"school": world.school, "level": 2}
    )
    return {"pk": world.pupil.pk}


# Diagnostics (HGD) are sensitive: the IB of the school; the pupil's teacher sees the tab
# (only what the IB shared with them, here nothing yet); the director and the rest not.
HGD_KEEPERS = {"care_coordinator": 200}


# The IHP and OPP of the pupil of group A (made once per test, in the state asked for).
def _ihp(world, status="draft"):
    from careroute import ihp as ihp_actions
    from careroute.models import IHP
    from tests.careroute.ihp_helpers import ib, ran_ihp, ready_ihp

    found = IHP.objects.filter(pupil=world.pupil, status=status).first()
    if found is None:
        found = ready_ihp(world) if status != "evaluated" else ran_ihp(world)
        if status == "active":
            found = ihp_actions.start_ihp(ihp=found, by=ib(world))
        if status == "evaluated":
            found = ihp_actions.evaluate_ihp(
                ihp=found,
                goal_outcomes={goal.pk: ("reached", "") for goal in found.goals.all()},
                outcome="rejoin",
                result_sufficient=True,
                notes="",
                by=ib(world),
            )
    return found


def _opp(world):
    from careroute import opp as opp_actions
    from careroute.models import OPP

    found = OPP.objects.filter(pupil=world.pupil).first()
    return found or opp_actions.create_opp(pupil=world.pupil, by=world.users["care_coordinator"])


def ihp(world):
    return {"pk": _ihp(world).pk}


def ihp_goal(world):
    return {"pk": _ihp(world).goals.first().pk}


def active_ihp_goal(world):
    return {"pk": _ihp(world, "active").goals.first().pk}


def ihp_data_point(world):
    from careroute.models import DataPoint

    goal = _ihp(world, "active").goals.first()
    point = DataPoint.objects.filter(goal=goal).first() or DataPoint.objects.create(
        goal=goal, date=goal.ihp.started_at.date(), value=12, recorded_by=goal.ihp.created_by
    )
    return {"pk": point.pk}


def ihp_organisation_row(world):
    return {"pk": _ihp(world).organisation.first().pk}


def opp(world):
    return {"pk": _opp(world).pk}


# The IHP: read by the IB, the director and the pupil's teacher; made and edited by the IB
# and the teacher; started and evaluated by the IB. The OPP: read the same; kept by the IB.
IHP_READERS = {"teacher": 200, "care_coordinator": 200, "director": 200}
IHP_WRITERS = {"teacher": 302, "care_coordinator": 302}
IHP_WRITERS_422 = {"teacher": 422, "care_coordinator": 422}


# Consent and the care team (care-team slice): the IB keeps it all; the care team's external
# member ("care_team_member", an attendee of the care-team meeting) sees the documents tab of
# a pupil with an open case and standing consent (see tests/hgw/test_access_external.py for
# the same member without consent, after withdrawal and after closing).
CARE_TEAM_IB = {"care_coordinator": 200}


def consented_case(world):
    """An open care-team case of the pupil of group A with the parents' consent, on a planned
    care-team meeting the care-team member attends (made once per test)."""
    from careroute.consent import consent_stands
    from meetings.models import MeetingItem
    from tests.careroute import care_team

    case = care_team.case(world)
    if not consent_stands(world.pupil, "care_team", registration=case.registration):
        # Given on a signed form (recorded directly: no note in the pupil log, whose first
        # note other entries use).
        _consent_on_form(world, case)
    item = MeetingItem.objects.filter(
        pupil=world.pupil, meeting__kind="care_team", meeting__status="planned"
    ).first()
    if item is None:
        from meetings import actions

        meeting = care_team.care_team_meeting(world, offset=90)
        item = actions.add_care_team_item(
            meeting=meeting, pupil=world.pupil, documents=[], by=care_team.ib(world)
        )
    return case, item


def consented_pupil(world):
    consented_case(world)
    return {"pk": world.pupil.pk}


def consented_case_pk(world):
    return {"pk": consented_case(world)[0].pk}


def consented_registration(world):
    return {"pk": consented_case(world)[0].registration_id}


def consented_case_item(world):
    case, item = consented_case(world)
    return {"pk": case.pk, "item_pk": item.pk}


def _consent_on_form(world, case):
    """A decision on a signed form (a small PDF kept under MEDIA_ROOT, reused)."""
    import datetime

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from careroute.models import Consent

    name = "consent/access-matrix.pdf"
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(b"%PDF-1.4\n%%EOF\n"))
    return Consent.objects.create(
        pupil=world.pupil,
        guardian=world.pupil.guardians.first(),
        purpose="care_team",
        care_team_registration=case.registration,
        decision="given",
        decided_on=datetime.date.today(),
        how="form",
        form=name,
        recorded_by=world.users["care_coordinator"],
    )


def consent_with_form(world):
    from careroute.models import Consent

    consented_case(world)
    return {"pk": Consent.objects.filter(pupil=world.pupil).exclude(form="").first().pk}


MATRIX: dict[str, Entry] = {
    "home": Entry(_all(200)),
    "health": Entry(_public(200)),
    "set_language": Entry(_public(302), method="post", data={"language": "en", "next": "/"}),
    "pupil_dossier": Entry(_only(dict.fromkeys(SEES_PUPIL, 302)), kwargs=pupil),
    "pupil_dossier_tab": Entry(
        _only(SEES_PUPIL), kwargs=lambda w: {"pk": w.pupil.pk, "tab": "gegevens"}
    ),
    "pupils:pupil_basic": Entry(_only(SEES_PUPIL), kwargs=pupil),
    "pupils:group_list": Entry(_all(200)),
    "pupils:group_detail": Entry(_only(SEES_PUPIL), kwargs=group),
    # An empty form: the two roles that may assign teachers see it again with errors.
    "pupils:assignment_add": Entry(
        _only({"care_coordinator": 200, "school_admin": 200}), kwargs=group, method="post"
    ),
    # The IB of the other school sees their own school's list (without our pupils).
    "pupils:guardian_add": Entry(_only(GUARDIAN_KEEPERS), kwargs=pupil),
    "pupils:guardian_edit": Entry(
        _only(GUARDIAN_KEEPERS),
        kwargs=lambda w: {"pk": w.pupil.pk, "guardian_pk": w.pupil.guardians.get().pk},
    ),
    "pupils:instrument_list": Entry(_only(IMPORTERS | {"other_school_ib": 200})),
    "pupils:rollover": Entry(_only({"school_admin": 200})),
    "pupils:pupil_list": Entry(_only(SCHOOL_WIDE | {"other_school_ib": 200})),
    "pupils:pupil_results": Entry(
        _only({"teacher": 200, "care_coordinator": 200, "director": 200}), kwargs=pupil
    ),
    "pupils:result_add": Entry(_only({"teacher": 200, "care_coordinator": 200}), kwargs=pupil),
    "pupils:pupil_log": Entry(
        _only({"teacher": 200, "care_coordinator": 200, "director": 200}), kwargs=pupil
    ),
    "pupils:log_add": Entry(_only(LOG_WRITERS), kwargs=pupil),
    "pupils:log_edit": Entry(
        _only(LOG_WRITERS), kwargs=lambda w: {"pk": w.pupil.pk, "entry_pk": log_entry(w).pk}
    ),
    "pupils:import_list": Entry(_only(IMPORTERS | {"other_school_ib": 200})),
    # An empty upload: the form comes back with its errors.
    "pupils:import_upload": Entry(_only(IMPORTERS | {"other_school_ib": 200}), method="post"),
    "pupils:import_detail": Entry(_only(IMPORTERS), kwargs=lambda w: {"pk": _import(w).pk}),
    "pupils:import_columns": Entry(
        _only(IMPORTERS), kwargs=lambda w: {"pk": _import(w, status="mapping").pk}
    ),
    # A cancelled import cannot be confirmed: back to its page with a message.
    "pupils:import_confirm": Entry(
        _only(dict.fromkeys(IMPORTERS, 302)), kwargs=lambda w: {"pk": _import(w).pk}, method="post"
    ),
    "pupils:import_cancel": Entry(
        _only(dict.fromkeys(IMPORTERS, 302)), kwargs=lambda w: {"pk": _import(w).pk}, method="post"
    ),
    # The audit trail: the IB and the privacy officer of a school (each sees their own school's).
    "trail:access_list": Entry(_only(AUDIT_READERS | {"other_school_ib": 200})),
    "trail:revision_list": Entry(_only(AUDIT_READERS | {"other_school_ib": 200})),
    "trail:pupil_search": Entry(
        _only(AUDIT_READERS | {"other_school_ib": 200}), method="post", data={"q": "Vries"}
    ),
    "trail:pupil_trail": Entry(_only(AUDIT_READERS), kwargs=pupil),
    "trail:export_json": Entry(_only({"care_coordinator": 200}), kwargs=pupil),
    "trail:export_pdf": Entry(_only({"care_coordinator": 200}), kwargs=pupil),
    # Retention: the IB confirms erasures, the privacy officer sees the numbers; each of their
    # own school. Nothing chosen: back to the page with a message.
    "pupils:retention": Entry(
        _only({"care_coordinator": 200, "privacy_officer": 200, "other_school_ib": 200})
    ),
    "pupils:retention_purge": Entry(
        _only({"care_coordinator": 302, "other_school_ib": 302}), method="post"
    ),
    # The staff pages: the school administration manages them; the IB and the privacy officer
    # see them (they reset the second factor of an IB or director).
    "accounts:staff_list": Entry(_only(STAFF_READERS | {"other_school_ib": 200})),
    "accounts:staff_add": Entry(_only({"school_admin": 200})),
    "accounts:staff_detail": Entry(
        _only(STAFF_READERS), kwargs=lambda w: {"user_pk": w.users["other_teacher"].pk}
    ),
    "accounts:membership_end": Entry(
        _only({"school_admin": 302}),
        kwargs=lambda w: {"user_pk": w.users["other_teacher"].pk},
        method="post",
    ),
    # Resetting a teacher's second factor: the school administration, for staff of its school.
    "accounts:staff_two_factor_reset": Entry(
        _only({"school_admin": 302}),
        kwargs=lambda w: {"user_pk": w.users["other_teacher"].pk},
        method="post",
    ),
    "accounts:school_security": Entry(_only({"school_admin": 200})),
    # Changes to logins and roles (also by platform operators): the privacy officer.
    "accounts:security_event_list": Entry(_only({"privacy_officer": 200})),
    # One's own second factor. Personas who need one have it (client_for): setting up another
    # sends them to their page, the verification page sends them on, the backup codes are
    # gone; an empty removal form comes back with its error (no password given).
    "accounts:two_factor": Entry(_all(200)),
    "accounts:two_factor_enrol": Entry(
        _all(302, teacher=200, other_teacher=200, care_team_member=302)
    ),
    "accounts:two_factor_verify": Entry(_all(302)),
    "accounts:two_factor_backup_codes": Entry(_all(302)),
    "accounts:two_factor_remove": Entry(_all(400), method="post"),
    "accounts:school_choose": Entry(_only(dict.fromkeys(AT_SCHOOL, 200))),
    "accounts:login": Entry(_all(302, anonymous=200)),
    "accounts:logout": Entry(_public(LOGIN), method="post"),
    "accounts:password_change": Entry(_all(200)),
    "accounts:email_change": Entry(_all(200)),
    "accounts:password_change_done": Entry(_all(200)),
    "accounts:password_reset": Entry(_public(200)),
    "accounts:password_reset_done": Entry(_public(200)),
    "accounts:password_reset_confirm": Entry(
        _public(200), kwargs=lambda w: {"uidb64": "MQ", "token": "set-password"}
    ),
    "accounts:password_reset_complete": Entry(_public(200)),
    "groupplans:overview_list": Entry(_only(OVERVIEW_LIST)),
    # An empty form comes back with its errors to whoever may start an overview.
    "groupplans:overview_create": Entry(
        _only(dict.fromkeys(OVERVIEW_LIST.keys() - {"director"}, 422)),
        method="post",
    ),
    "groupplans:overview_detail": Entry(_only(OVERVIEW_READERS), kwargs=overview),
    # An empty save: the row's form comes back with its errors, for those who may edit it.
    "groupplans:row_save": Entry(
        _only({"teacher": 422, "care_coordinator": 422}), kwargs=overview_row, method="post"
    ),
    "groupplans:suggestion_decide": Entry(
        _only({"teacher": 302, "care_coordinator": 302}), kwargs=overview_row, method="post"
    ),
    "groupplans:overview_send": Entry(_only({"teacher": 200}), kwargs=overview),
    "groupplans:overview_discussed": Entry(
        _only({"care_coordinator": 302}),
        kwargs=lambda w: {"pk": _overview(w, sent=True).pk},
        method="post",
    ),
    "groupplans:overview_print": Entry(_only(OVERVIEW_READERS), kwargs=overview),
    "groupplans:overview_pdf": Entry(_only(OVERVIEW_READERS), kwargs=overview),
    "groupplans:overview_xlsx": Entry(_only(OVERVIEW_READERS), kwargs=overview),
    # Group plans: read as the overview; the teacher of the group owns (edits) the plan; the
    # IB and the teacher comment. Empty posts come back with their errors (422) or, for
    # buttons, a redirect with a message.
    "groupplans:plan_list": Entry(_only(OVERVIEW_LIST)),
    "groupplans:plan_create": Entry(_only({"teacher": 302}), kwargs=overview, method="post"),
    "groupplans:plan_detail": Entry(_only(OVERVIEW_READERS), kwargs=plan),
    "groupplans:section_save": Entry(_only({"teacher": 422}), kwargs=plan_section, method="post"),
    "groupplans:placement_move": Entry(_only({"teacher": 302}), kwargs=plan_section, method="post"),
    "groupplans:suggestions_accept": Entry(
        _only({"teacher": 302}), kwargs=plan_section, method="post"
    ),
    "groupplans:subgroup_add": Entry(_only({"teacher": 302}), kwargs=plan_section, method="post"),
    "groupplans:subgroup_save": Entry(_only({"teacher": 422}), kwargs=plan_subgroup, method="post"),
    "groupplans:plan_activate": Entry(_only({"teacher": 302}), kwargs=plan, method="post"),
    "groupplans:plan_evaluation": Entry(_only(OVERVIEW_READERS), kwargs=active_plan),
    "groupplans:subgroup_evaluate": Entry(
        _only({"teacher": 422}), kwargs=active_subgroup, method="post"
    ),
    "groupplans:placement_save": Entry(
        _only({"teacher": 422}), kwargs=active_placement, method="post"
    ),
    "groupplans:plan_evaluate": Entry(_only({"teacher": 302}), kwargs=active_plan, method="post"),
    "groupplans:plan_next_cycle": Entry(
        _only({"teacher": 302}),
        kwargs=lambda w: {"pk": _plan(w, "evaluated").pk},
        method="post",
    ),
    "groupplans:comment_add": Entry(
        _only({"teacher": 302, "care_coordinator": 302}), kwargs=plan, method="post"
    ),
    # A pupil's group plans, a dossier tab: whoever sees the pupil's learning data.
    "groupplans:pupil_plans": Entry(
        _only({"teacher": 200, "care_coordinator": 200, "director": 200}), kwargs=pupil
    ),
    # The group plan on paper and its week: whoever may read the plan.
    "groupplans:plan_print": Entry(_only(OVERVIEW_READERS), kwargs=plan),
    "groupplans:plan_pdf": Entry(_only(OVERVIEW_READERS), kwargs=plan),
    "groupplans:plan_week": Entry(_only(OVERVIEW_READERS), kwargs=plan),
    # The school's signal rules: the IB (shared instruments are every school's).
    "groupplans:rule_list": Entry(_only({"care_coordinator": 200, "other_school_ib": 200})),
    "groupplans:rule_edit": Entry(
        _only({"care_coordinator": 200, "other_school_ib": 200}), kwargs=_maths
    ),
    "groupplans:area_list": Entry(_only(PLAN_CONFIGURERS), kwargs=school_areas),
    "groupplans:area_create": Entry(_only(PLAN_CONFIGURERS), kwargs=school_areas),
    "groupplans:area_edit": Entry(_only({"care_coordinator": 200}), kwargs=plan_area),
    "groupplans:library_list": Entry(_only(PLAN_CONFIGURERS), kwargs=school_areas),
    "groupplans:library_create": Entry(_only(PLAN_CONFIGURERS), kwargs=school_areas),
    "groupplans:library_edit": Entry(_only({"care_coordinator": 200}), kwargs=library_entry),
    # The confirmation page (the entry stays).
    "groupplans:library_delete": Entry(_only({"care_coordinator": 200}), kwargs=library_entry),
    # Nothing chosen: back to the plan with a message, for the teacher who may edit it.
    "groupplans:subgroup_from_library": Entry(
        _only({"teacher": 302}), kwargs=plan_subgroup, method="post"
    ),
    # The year plan.
    "meetings:meeting_list": Entry(_only(YEAR_PLAN)),
    "meetings:meeting_calendar": Entry(_only(YEAR_PLAN)),
    "meetings:group_meetings_plan": Entry(_only(MEETING_PLANNERS)),
    "meetings:care_team_plan": Entry(_only(MEETING_PLANNERS)),
    "meetings:meeting_create": Entry(_only(MEETING_PLANNERS)),
    "meetings:meeting_detail": Entry(_only(MEETING_READERS), kwargs=meeting),
    "meetings:meeting_edit": Entry(_only({"care_coordinator": 200}), kwargs=meeting),
    # The confirmation page (the meeting stays).
    "meetings:meeting_cancel": Entry(_only({"care_coordinator": 200}), kwargs=meeting),
    # The group meeting held, minuted and signed off: the IB leads and minutes, the group's
    # teacher prepares and summarises; every save answers with the meeting page (302).
    "meetings:minutes_save": Entry(
        _only({"care_coordinator": 302}), kwargs=meeting, method="post", data={"version": 1}
    ),
    "meetings:summary_save": Entry(
        _only({"teacher": 302}), kwargs=meeting, method="post", data={"version": 1}
    ),
    "meetings:preparation_save": Entry(
        _only({"teacher": 302}), kwargs=meeting, method="post", data={"version": 1}
    ),
    "meetings:meeting_held": Entry(_only({"care_coordinator": 302}), kwargs=meeting, method="post"),
    "meetings:meeting_sign_off": Entry(
        _only({"care_coordinator": 302}), kwargs=meeting, method="post"
    ),
    "meetings:addendum_add": Entry(
        _only({"care_coordinator": 302}),
        kwargs=signed_off_meeting,
        method="post",
        data={"text": "Correctie"},
    ),
    # A pupil on an agenda: whoever sees the pupil's learning data reads the item; the IB
    # zooms in, minutes, shares advice, adds addenda. A care-team item's advice (and with it
    # its report) is read by the IB and the director (a formal member of the care team, read
    # only), by the teacher once shared; the director reads the group meeting's report.
    # The IB says who is at a meeting (a guest here; the list is the meeting's page).
    "meetings:attendee_add": Entry(
        _only({"care_coordinator": 302}),
        kwargs=meeting,
        method="post",
        data={"name": "Ellen Smits", "discipline": "jeugdarts"},
    ),
    "meetings:attendee_remove": Entry(
        _only({"care_coordinator": 302}), kwargs=meeting_attendee, method="post"
    ),
    "meetings:zoom_in": Entry(
        _only({"care_coordinator": 302}),
        kwargs=meeting,
        method="post",
        data=lambda w: {"pupil": w.pupil.pk},
    ),
    "meetings:item_detail": Entry(_only(MEETING_READERS), kwargs=group_item),
    "meetings:item_remove": Entry(
        _only({"care_coordinator": 302}), kwargs=group_item, method="post"
    ),
    "meetings:item_share": Entry(
        _only({"care_coordinator": 302}), kwargs=care_team_item, method="post"
    ),
    "meetings:item_addendum_add": Entry(
        _only({"care_coordinator": 302}),
        kwargs=care_team_item,
        method="post",
        data={"text": "Correctie"},
    ),
    "meetings:item_report": Entry(
        _only({"care_coordinator": 200, "director": 200}), kwargs=care_team_item
    ),
    "meetings:meeting_report": Entry(_only(MEETING_READERS), kwargs=signed_off_meeting),
    "meetings:pupil_meetings": Entry(_only(MEETING_READERS), kwargs=pupil),
    "meetings:group_meetings": Entry(_only(MEETING_READERS), kwargs=group),
    # Action points: the IB adds them to a meeting of their school (an empty form: 422); the
    # owner (the teacher here) and the IB mark them done and open again; the IB corrects an
    # open one. "My actions" is there for every role that can own one; "All action points"
    # is the IB's.
    "meetings:action_point_add": Entry(
        _only({"care_coordinator": 422}), kwargs=meeting, method="post"
    ),
    "meetings:my_actions": Entry(_only(ACTION_OWNERS)),
    "meetings:school_actions": Entry(_only(MEETING_PLANNERS)),
    "meetings:action_point_complete": Entry(
        _only(ACTION_TOGGLERS), kwargs=action_point, method="post", data={"version": 1}
    ),
    "meetings:action_point_reopen": Entry(
        _only(ACTION_TOGGLERS), kwargs=done_action_point, method="post", data={"version": 2}
    ),
    "meetings:action_point_edit": Entry(_only({"care_coordinator": 200}), kwargs=action_point),
    "meetings:registration_list": Entry(
        _only(REGISTRANTS | {"other_teacher": 200, "other_school_ib": 200})
    ),
    "meetings:registration_create": Entry(_only(REGISTRANTS), kwargs=register_pupil),
    "meetings:registration_detail": Entry(_only(REGISTRANTS), kwargs=draft_registration),
    # The confirmation page (the draft stays).
    "meetings:registration_withdraw": Entry(_only(REGISTRANTS), kwargs=draft_registration),
    # Nothing chosen: back to the meeting with a message.
    "meetings:registration_attach": Entry(
        _only({"care_coordinator": 302}), kwargs=pupil_meeting, method="post"
    ),
    "meetings:growth_document": Entry(_only(MEETING_READERS), kwargs=pupil_meeting_item),
    "meetings:item_detach": Entry(
        _only({"care_coordinator": 302}), kwargs=pupil_meeting_item, method="post"
    ),
    "careroute:pupil_hgd": Entry(_only(HGD_KEEPERS | {"teacher": 200}), kwargs=pupil),
    "careroute:hgd_create": Entry(_only(HGD_KEEPERS), kwargs=hgd_pupil),
    "careroute:hgd_detail": Entry(_only(HGD_KEEPERS), kwargs=hgd_request),
    # An empty upload: the page again with the message (422).
    "careroute:hgd_upload": Entry(
        _only({"care_coordinator": 422}), kwargs=hgd_request, method="post"
    ),
    "careroute:hgd_recommendations": Entry(_only(HGD_KEEPERS), kwargs=hgd_request),
    # No overview for the pupil yet: back to the request with a message.
    "careroute:hgd_translate": Entry(
        _only({"care_coordinator": 302}), kwargs=hgd_request, method="post"
    ),
    "careroute:hgd_share": Entry(
        _only({"care_coordinator": 302}), kwargs=hgd_request, method="post"
    ),
    "careroute:hgd_report": Entry(_only(HGD_KEEPERS), kwargs=hgd_request),
    "meetings:feed_link": Entry(_only(YEAR_PLAN)),
    # The calendar feed needs no login: the token is the key (the teacher's link here; a token
    # that is no one's answers 404, see tests/meetings/test_feed.py).
    "meetings:feed": Entry(_public(200), kwargs=feed_token),
    # The care route: whoever sees the pupil's learning data sees the route tab; the pupil's
    # teacher and the IB may register them for a pupil meeting (1 -> 2), refused here (422)
    # as no registration was submitted; the director and everyone else: 404.
    "careroute:pupil_route": Entry(_only(MEETING_READERS), kwargs=pupil),
    "careroute:route_move": Entry(
        _only({"teacher": 422, "care_coordinator": 422}),
        kwargs=lambda w: {"pk": w.pupil.pk, "move": "register_pupil_meeting"},
        method="post",
    ),
    # The IHP and the OPP (empty forms: 422). The matrix's draft IHP is complete: the IB
    # starts it.
    "careroute:pupil_ihps": Entry(_only(IHP_READERS), kwargs=pupil),
    "careroute:ihp_create": Entry(_only(IHP_WRITERS), kwargs=pupil, method="post"),
    "careroute:opp_create": Entry(_only({"care_coordinator": 302}), kwargs=pupil, method="post"),
    "careroute:ihp_detail": Entry(_only(IHP_READERS), kwargs=ihp),
    "careroute:ihp_pdf": Entry(_only(IHP_READERS), kwargs=ihp),
    "careroute:goal_add": Entry(_only(IHP_WRITERS_422), kwargs=ihp, method="post"),
    "careroute:goal_edit": Entry(_only({"teacher": 200, "care_coordinator": 200}), kwargs=ihp_goal),
    "careroute:goal_remove": Entry(_only(IHP_WRITERS), kwargs=ihp_goal, method="post"),
    "careroute:organisation_add": Entry(_only(IHP_WRITERS_422), kwargs=ihp, method="post"),
    "careroute:organisation_remove": Entry(
        _only(IHP_WRITERS), kwargs=ihp_organisation_row, method="post"
    ),
    "careroute:data_point_add": Entry(
        _only(IHP_WRITERS_422), kwargs=active_ihp_goal, method="post"
    ),
    "careroute:data_point_remove": Entry(_only(IHP_WRITERS), kwargs=ihp_data_point, method="post"),
    # Each IB their own school's choices.
    "careroute:settings": Entry(_only({"care_coordinator": 200, "other_school_ib": 200})),
    "careroute:ihp_start": Entry(_only({"care_coordinator": 302}), kwargs=ihp, method="post"),
    "careroute:ihp_evaluate": Entry(
        _only({"care_coordinator": 422}),
        kwargs=lambda w: {"pk": _ihp(w, "active").pk},
        method="post",
    ),
    "careroute:ihp_revise": Entry(
        _only(IHP_WRITERS), kwargs=lambda w: {"pk": _ihp(w, "evaluated").pk}, method="post"
    ),
    "careroute:opp_detail": Entry(_only(IHP_READERS), kwargs=opp),
    "careroute:opp_pdf": Entry(_only(IHP_READERS), kwargs=opp),
    "careroute:opp_agreement": Entry(_only({"care_coordinator": 422}), kwargs=opp, method="post"),
    "careroute:opp_evaluation_add": Entry(
        _only({"care_coordinator": 422}), kwargs=opp, method="post"
    ),
    # Consent and the care team (after the meetings: the shared world of the forms walk makes
    # the signed-off care-team item above first).
    "careroute:pupil_documents": Entry(
        _only(CARE_TEAM_IB | {"care_team_member": 200}), kwargs=consented_pupil
    ),
    "careroute:consent_add": Entry(_only(CARE_TEAM_IB), kwargs=consented_pupil),
    "careroute:consent_form": Entry(_only(CARE_TEAM_IB), kwargs=consent_with_form),
    "careroute:registration_edit": Entry(_only(CARE_TEAM_IB), kwargs=consented_pupil),
    # The boxes ticked (none here): back to the tab.
    "careroute:documents_select": Entry(
        _only({"care_coordinator": 302}), kwargs=consented_registration, method="post"
    ),
    # No meeting chosen: the tab again with the message (422).
    "careroute:case_agenda": Entry(
        _only({"care_coordinator": 422}), kwargs=consented_case_pk, method="post"
    ),
    "careroute:case_agenda_remove": Entry(
        _only({"care_coordinator": 302}), kwargs=consented_case_item, method="post"
    ),
    # No date given: 422.
    "careroute:case_monitoring": Entry(
        _only({"care_coordinator": 422}), kwargs=consented_case_pk, method="post"
    ),
    "careroute:case_close": Entry(_only(CARE_TEAM_IB), kwargs=consented_case_pk),
}


def _url_patterns(patterns=None, namespace: str = "") -> dict[str, URLPattern]:
    """Every named URL pattern, by its full name ("pupils:group_detail")."""
    found = {}
    for item in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(item, URLResolver):
            inner = f"{namespace}{item.namespace}:" if item.namespace else namespace
            found |= _url_patterns(item.url_patterns, inner)
        elif isinstance(item, URLPattern) and item.name:
            found[f"{namespace}{item.name}"] = item
    return found


def _url_names() -> list[str]:
    return list(_url_patterns())


def test_every_url_has_an_entry():
    hgw_urls = {name for name in _url_names() if not name.startswith("admin:")}
    assert hgw_urls - MATRIX.keys() == set(), "add these URLs to the access matrix"
    assert MATRIX.keys() - hgw_urls == set(), "these matrix entries name no URL"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_access(url_name, persona, world, client_for):
    entry = MATRIX[url_name]
    url = reverse(url_name, kwargs=entry.kwargs(world) if entry.kwargs else None)
    client = client_for(persona)
    data = entry.data(world) if callable(entry.data) else entry.data
    response = getattr(client, entry.method)(url, data)
    expected = entry.expected[persona]
    if expected == LOGIN:
        assert response.status_code == 302, response.status_code
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected
        if expected == 302:
            assert not response["Location"].startswith(reverse("accounts:login"))


# Values for the arguments admin URLs take (the permission check comes before any lookup).
ADMIN_URL_KWARGS = {"app_label": "pupils", "object_id": "1", "content_type_id": "1", "id": "1"}


def _admin_url(name: str, pattern: URLPattern) -> str:
    arguments = pattern.pattern.regex.groupindex
    return reverse(name, kwargs={key: ADMIN_URL_KWARGS[key] for key in arguments})


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "superuser"])
def test_admin_is_for_platform_operators_only(persona, world, client_for):
    """Every admin URL sends everyone but a superuser to the admin's login page."""
    client = client_for(persona)
    admin_patterns = {n: p for n, p in _url_patterns().items() if n.startswith("admin:")}
    assert len(admin_patterns) > 20
    for name, pattern in admin_patterns.items():
        if name in ("admin:login", "admin:logout"):  # the way in and out
            continue
        url = _admin_url(name, pattern)
        response = client.get(url)
        assert response.status_code in (302, 404), (name, response.status_code)
        if response.status_code == 302:
            assert (
                "/admin/login/" in response["Location"] or "/inloggen/" in response["Location"]
            ), (
                name,
                response["Location"],
            )


def test_admin_changelists_open_for_superuser(world, client_for):
    client = client_for("superuser")
    names = [n for n in _url_names() if n.startswith("admin:") and n.endswith("_changelist")]
    assert names
    for name in names:
        assert client.get(reverse(name)).status_code == 200, name
