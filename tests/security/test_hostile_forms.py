"""Every form of hgw, fed with hostile input through the test client.

The forms are found, not listed by hand: every page of the access matrix is rendered for every
persona allowed to see it, and each `<form method="post">` on it is parsed. A form whose target
has no entry in FORMS below fails `test_every_form_is_covered`, so a new form cannot slip past.

For each form, as a persona who may use it, every hostile value goes into every field in turn
(the other fields keep valid values), and the answer must:
- never be a server error (status < 500);
- save nothing when it is an error page or the form again (row counts of every data table);
- never contain the hostile markup unescaped (also on the page a redirect leads to);
- never redirect to another site or a `javascript:` address.
"""

import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import Resolver404, resolve, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.conftest import PASSWORD, force_login, totp_device
from tests.hgw.test_access_matrix import (
    MATRIX,
    _action_point,
    _ihp,
    _meeting,
    _overview,
    _plan,
    _registration,
    care_team_item,
    hgd_pupil,
    ihp_data_point,
    pupil_meeting,
    signed_off_meeting,
)
from tests.security.hostile import (
    HOSTILE_QUERY_VALUES,
    HOSTILE_TEXT,
    INVALID_UTF8,
    OUT_OF_RANGE_INTEGERS,
    raw_markup_in,
)

# --- Reading the forms of a page -------------------------------------------------------------


@dataclass
class FormField:
    name: str
    kind: str  # input type, "textarea" or "select"
    value: str = ""
    checked: bool = False
    options: list[str] = field(default_factory=list)


@dataclass
class Form:
    action: str
    fields: list[FormField] = field(default_factory=list)
    multipart: bool = False

    def defaults(self) -> dict:
        """What a browser would send when the form is submitted as rendered."""
        data: dict = {}
        for f in self.fields:
            if f.kind in ("submit", "button", "reset", "image", "file"):
                continue
            if f.kind in ("checkbox", "radio") and not f.checked:
                if f.kind == "radio" and f.name not in data:
                    data[f.name] = f.value  # no radio chosen yet: choose the first
                continue
            if f.kind == "select" and not f.value:
                data[f.name] = next((o for o in f.options if o), "")
                continue
            data[f.name] = f.value
        return data

    def editable(self) -> list[str]:
        """Names of the fields a person (or an attacker) fills in."""
        names = []
        for f in self.fields:
            if f.name == "csrfmiddlewaretoken" or f.kind in ("submit", "button", "reset", "file"):
                continue
            if f.name not in names:
                names.append(f.name)
        return names

    def file_fields(self) -> list[str]:
        return [f.name for f in self.fields if f.kind == "file"]


class FormParser(HTMLParser):
    """The POST forms of a page, with their fields and the values they show."""

    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._textarea: FormField | None = None
        self._select: FormField | None = None
        # Fields may sit outside their form and name it (`form="id"`), as in the overview grid.
        self._by_id: dict[str, Form] = {}
        self._owned: list[tuple[str, FormField]] = []

    def close(self):
        super().close()
        for owner, found in self._owned:
            if owner in self._by_id:
                self._by_id[owner].fields.append(found)

    def _add(self, a: dict, found: FormField) -> None:
        if a.get("form"):
            self._owned.append((a["form"], found))
        elif self._form is not None:
            self._form.fields.append(found)

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            if a.get("method", "get").lower() == "post":
                action = urllib.parse.urljoin(self.page_url, a.get("action") or self.page_url)
                self._form = Form(action=action, multipart="multipart" in a.get("enctype", ""))
                self.forms.append(self._form)
                if a.get("id"):
                    self._by_id[a["id"]] = self._form
            return
        if tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))
            if "selected" in a:
                self._select.value = a.get("value", "")
            return
        if (self._form is None and not a.get("form")) or not a.get("name"):
            return
        if tag == "input":
            kind = a.get("type", "text").lower()
            self._add(a, FormField(a["name"], kind, a.get("value", ""), checked="checked" in a))
        elif tag == "button":
            self._add(a, FormField(a["name"], "submit", a.get("value", "")))
        elif tag == "textarea":
            self._textarea = FormField(a["name"], "textarea")
            self._add(a, self._textarea)
        elif tag == "select":
            self._select = FormField(a["name"], "select")
            self._add(a, self._select)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def forms_of(response, page_url: str) -> list[Form]:
    if not response.get("Content-Type", "").startswith("text/html"):
        return []  # a PDF or JSON download has no forms
    parser = FormParser(page_url)
    parser.feed(response.content.decode())
    parser.close()
    return parser.forms


def url_name(url: str) -> str | None:
    path = urllib.parse.urlsplit(url).path
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


# --- What each form needs -------------------------------------------------------------------


def _import_record(world, status: str):
    from tests.hgw.test_access_matrix import _import

    return _import(world, status=status)


def _reset_link(world) -> dict:
    user = world.users["teacher"]
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }


@dataclass
class FormSpec:
    """Where a form is shown, to whom, and what makes its other fields valid."""

    persona: str
    page: str | None = None  # URL name of the page that shows it; default: the form's own
    kwargs: Callable | None = None  # page kwargs; default: the access matrix's
    valid: dict = field(default_factory=dict)
    saves: bool = False  # some hostile value is valid input here: the walk must see a save
    # For a form the persona world does not show (it needs data the world lacks): its fields,
    # posted straight to its URL instead of read from a page.
    fields: tuple[str, ...] = ()


def _csv_upload() -> SimpleUploadedFile:
    content = "Leerlingnummer;Toets;Datum;Score\nL1;Cito Rekenen-Wiskunde;3-2-2025;45\n"
    return SimpleUploadedFile("toetsen.csv", content.encode(), content_type="text/csv")


def _with_periods(world) -> None:
    """The school's periods of this year (the group meetings form plans one of them)."""
    from schools.actions import ensure_default_periods

    ensure_default_periods(school=world.school, school_year=world.group.school_year)


def _meeting_due(world) -> dict:
    """The group meeting of the access matrix, on today's date (so it can be held)."""
    from django.utils import timezone

    found = _meeting(world)
    found.date = timezone.localdate()
    found.save()
    return {"pk": found.pk}


def _held_meeting(world) -> dict:
    from meetings import actions

    found = _meeting(world)
    if found.status == "planned":
        actions.mark_held(meeting=found, by=world.users["care_coordinator"], today=found.date)
    return {"pk": found.pk}


def _meeting_with_action(world) -> dict:
    """The group meeting of the access matrix with the teacher's open action point."""
    return {"pk": _action_point(world).meeting_id}


def _meeting_with_done_action(world) -> dict:
    return {"pk": _action_point(world, done=True).meeting_id}


def _waiting_registration(world) -> dict:
    """The pupil meeting, with a second pupil's registration waiting for it."""
    from meetings import registrations
    from tests import factories

    found = pupil_meeting(world)
    _registration(world, submitted=True)
    if not world.group.enrolments.filter(pupil__given_name="Lotte").exists():
        lotte = factories.PupilFactory(school=world.school, given_name="Lotte")
        factories.EnrolmentFactory(pupil=lotte, group=world.group)
        teacher = world.users["teacher"]
        waiting = registrations.start_registration(
            pupil=lotte, question="Lezen?", tried="Oefenen", by=teacher
        )
        registrations.submit_registration(registration=waiting, by=teacher)
    return found


GUARDIAN = {
    "name": "Kees de Vries",
    "relation": "father",
    "phone": "06-11112222",
    "email": "kees@example.nl",
}


def _route_with_registration(world) -> dict:
    """The pupil of group A with a submitted registration: the move to level 2 is open."""
    _registration(world, submitted=True)
    return {"pk": world.pupil.pk}


# Keyed by the URL name the form posts to.
FORMS: dict[str, FormSpec] = {
    # One's own login address, with the password given again.
    "accounts:email_change": FormSpec("teacher", valid={"password": PASSWORD}),
    "set_language": FormSpec("care_coordinator", page="home"),
    "accounts:logout": FormSpec("care_coordinator", page="home"),
    "accounts:login": FormSpec("anonymous", valid={"username": "teacher@school.example"}),
    "accounts:password_change": FormSpec("teacher"),
    "accounts:password_reset": FormSpec("anonymous"),
    "accounts:password_reset_confirm": FormSpec("anonymous", kwargs=_reset_link),
    "accounts:school_choose": FormSpec("teacher"),
    "accounts:staff_add": FormSpec(
        "school_admin",
        valid={"email": "nieuw@school.example", "full_name": "Nieuwe Collega", "role": "teacher"},
        saves=True,
    ),
    "accounts:membership_end": FormSpec("school_admin", page="accounts:staff_detail"),
    # Shown for a person with a second factor (the IB here) to whom may reset it.
    "accounts:staff_two_factor_reset": FormSpec(
        "privacy_officer",
        page="accounts:staff_detail",
        kwargs=lambda w: {"user_pk": totp_device(w.users["care_coordinator"]).user_id},
    ),
    "accounts:school_security": FormSpec("school_admin"),
    # The care route: the first value moves the pupil to level 2; the rest are refused (422)
    # with the reason kept.
    "careroute:route_move": FormSpec(
        "care_coordinator",
        page="careroute:pupil_route",
        kwargs=_route_with_registration,
        saves=True,
    ),
    "accounts:two_factor_enrol": FormSpec("teacher"),  # optional for teachers: no device yet
    "accounts:two_factor_verify": FormSpec(
        "teacher", kwargs=lambda w: totp_device(w.users["teacher"]) and None
    ),
    "accounts:two_factor_remove": FormSpec("care_coordinator", page="accounts:two_factor"),
    "pupils:assignment_add": FormSpec(
        "care_coordinator", page="pupils:group_detail", valid={"start_date": "2025-09-01"}
    ),
    "pupils:pupil_list": FormSpec("care_coordinator", valid={"q": "Sanne"}),
    "trail:pupil_search": FormSpec("privacy_officer", valid={"q": "Sanne"}),
    # Shown only when some pupil's retention period has passed.
    "pupils:retention_purge": FormSpec(
        "care_coordinator", fields=("pupil", "scope", "count"), valid={"scope": "all"}
    ),
    "pupils:guardian_add": FormSpec("school_admin", valid=GUARDIAN, saves=True),
    "pupils:guardian_edit": FormSpec("school_admin", saves=True),
    "pupils:instrument_list": FormSpec(
        "care_coordinator", valid={"name": "Eigen toets", "subject": "maths"}, saves=True
    ),
    "pupils:rollover": FormSpec("school_admin"),
    "pupils:result_add": FormSpec(
        "care_coordinator",
        valid={"date_taken": "2025-02-03", "score": "45", "moment": "M4"},
        saves=True,
    ),
    "pupils:log_add": FormSpec(
        "teacher", valid={"kind": "parents", "notes": "Gesprek over de rekenles."}, saves=True
    ),
    # Saved once; after that the form's version is stale and every save is refused.
    "pupils:log_edit": FormSpec("teacher", saves=True),
    # The group overview: its rows are forms whose cells sit outside them (form="…"). Saved
    # once; after that the row's version is stale and every save is refused with both versions.
    "groupplans:overview_create": FormSpec("teacher", page="groupplans:overview_list"),
    "groupplans:row_save": FormSpec("teacher", page="groupplans:overview_detail", saves=True),
    # Shown in step 2 only (a query the page names cannot carry): posted straight to its URL.
    "groupplans:suggestion_decide": FormSpec(
        "teacher", fields=("key", "decision", "reason"), valid={"decision": "dismissed"}
    ),
    "groupplans:overview_send": FormSpec("teacher", saves=True),
    "groupplans:overview_discussed": FormSpec(
        "care_coordinator",
        page="groupplans:overview_detail",
        kwargs=lambda w: {"pk": _overview(w, sent=True).pk},
    ),
    # The group plan. Texts are saved once; after that the form's version is stale and every
    # save is refused with both versions.
    "groupplans:plan_create": FormSpec("teacher", page="groupplans:overview_detail"),
    "groupplans:section_save": FormSpec("teacher", page="groupplans:plan_detail", saves=True),
    "groupplans:subgroup_save": FormSpec("teacher", page="groupplans:plan_detail", saves=True),
    "groupplans:placement_move": FormSpec("teacher", page="groupplans:plan_detail"),
    "groupplans:suggestions_accept": FormSpec("teacher", page="groupplans:plan_detail"),
    "groupplans:plan_activate": FormSpec("teacher", page="groupplans:plan_detail"),
    "groupplans:comment_add": FormSpec("teacher", page="groupplans:plan_detail", saves=True),
    # Shown on the tab of part 2 only (a query the page names cannot carry).
    "groupplans:subgroup_add": FormSpec("teacher", fields=("name",), saves=True),
    # The evaluation: a subgroup's outcome is a choice (no hostile value is one); a pupil's
    # outcome may stay "as the subgroup", so their texts save.
    "groupplans:subgroup_evaluate": FormSpec("teacher", page="groupplans:plan_evaluation"),
    "groupplans:placement_save": FormSpec("teacher", page="groupplans:plan_evaluation", saves=True),
    "groupplans:plan_evaluate": FormSpec("teacher", page="groupplans:plan_evaluation"),
    "groupplans:plan_next_cycle": FormSpec(
        "teacher",
        page="groupplans:plan_detail",
        kwargs=lambda w: {"pk": _plan(w, "evaluated").pk},
    ),
    # The school's signal rule for a test: no hostile value is a level, a drop or a number, and
    # one in the hidden fingerprint is a stale save, refused with both versions.
    "groupplans:rule_edit": FormSpec("care_coordinator"),
    # The school's plan areas and library (the IB). An edit is saved once; after that its
    # fingerprint is stale and every save is refused with both versions.
    "groupplans:area_create": FormSpec(
        "care_coordinator", valid={"name": "Begrijpend luisteren"}, saves=True
    ),
    "groupplans:area_edit": FormSpec("care_coordinator", saves=True),
    "groupplans:library_create": FormSpec(
        "care_coordinator",
        valid={"title": "Rekenen zorggroep", "goal_didactic": "Beheerst de tafels van 1 t/m 5"},
        saves=True,
    ),
    "groupplans:library_edit": FormSpec("care_coordinator", saves=True),
    "groupplans:library_delete": FormSpec("care_coordinator"),
    # A library entry copied into a subgroup, from a picker on the plan page: posted straight.
    "groupplans:subgroup_from_library": FormSpec("teacher", fields=("template", "version")),
    # The year plan (the IB). The care team's and a single meeting's place is free text, so
    # those save; moving is saved once, after that the fingerprint is stale (both versions).
    "meetings:group_meetings_plan": FormSpec("care_coordinator", kwargs=_with_periods),
    "meetings:care_team_plan": FormSpec("care_coordinator", saves=True),
    "meetings:meeting_create": FormSpec("care_coordinator", saves=True),
    "meetings:meeting_edit": FormSpec("care_coordinator", saves=True),
    "meetings:meeting_cancel": FormSpec("care_coordinator"),
    "meetings:feed_link": FormSpec("teacher"),
    # The group meeting: minutes, summary, checklist and addenda are free text or ticks, so
    # they save once; after that the version is stale and a save shows both versions.
    "meetings:minutes_save": FormSpec(
        "care_coordinator", page="meetings:meeting_detail", kwargs=_held_meeting, saves=True
    ),
    "meetings:summary_save": FormSpec("teacher", page="meetings:meeting_detail", saves=True),
    "meetings:preparation_save": FormSpec("teacher", page="meetings:meeting_detail", saves=True),
    "meetings:meeting_held": FormSpec(
        "care_coordinator", page="meetings:meeting_detail", kwargs=_meeting_due, saves=True
    ),
    "meetings:meeting_sign_off": FormSpec(
        "care_coordinator", page="meetings:meeting_detail", kwargs=_held_meeting, saves=True
    ),
    "meetings:addendum_add": FormSpec(
        "care_coordinator",
        page="meetings:meeting_detail",
        kwargs=signed_off_meeting,
        saves=True,
    ),
    # The minutes per pupil: the IB zooms in on a pupil of the group (a choice: nothing
    # hostile is valid), writes notes on the item's page, adds addenda to a signed-off item.
    "meetings:attendee_add": FormSpec(
        "care_coordinator", page="meetings:meeting_detail", saves=True
    ),
    "meetings:attendee_remove": FormSpec("care_coordinator", page="meetings:meeting_detail"),
    "meetings:zoom_in": FormSpec("care_coordinator", page="meetings:meeting_detail"),
    "meetings:item_detail": FormSpec("care_coordinator", saves=True),
    "meetings:item_remove": FormSpec("care_coordinator", page="meetings:item_detail"),
    "meetings:item_share": FormSpec(
        "care_coordinator", page="meetings:item_detail", kwargs=care_team_item
    ),
    "meetings:item_addendum_add": FormSpec(
        "care_coordinator", page="meetings:item_detail", kwargs=care_team_item, saves=True
    ),
    # Action points: the description is free text, so adding saves; a correction saves once,
    # after that its version is stale (both versions). Done and reopened by the owner from the
    # meeting page (a hostile "next" is ignored: the post still counts).
    "meetings:action_point_add": FormSpec(
        "care_coordinator",
        page="meetings:meeting_detail",
        valid={"due_date": "2026-12-01"},
        saves=True,
    ),
    "meetings:action_point_complete": FormSpec(
        "teacher", page="meetings:meeting_detail", kwargs=_meeting_with_action, saves=True
    ),
    "meetings:action_point_reopen": FormSpec(
        "teacher", page="meetings:meeting_detail", kwargs=_meeting_with_done_action, saves=True
    ),
    "meetings:action_point_edit": FormSpec("care_coordinator", saves=True),
    # Registrations: free text, so a draft saves; withdrawing deletes the draft once.
    "meetings:registration_create": FormSpec("teacher", saves=True),
    "meetings:registration_detail": FormSpec("teacher", saves=True),
    "meetings:registration_withdraw": FormSpec("teacher"),
    # The pupil meeting: the waiting registrations to choose (none of a hostile value), the
    # growth document (free text and an outcome: saves once, then stale) and taking a pupil
    # off the agenda.
    "meetings:registration_attach": FormSpec(
        "care_coordinator", page="meetings:meeting_detail", kwargs=_waiting_registration
    ),
    "meetings:growth_document": FormSpec(
        "care_coordinator", page="meetings:meeting_detail", kwargs=pupil_meeting, saves=True
    ),
    "meetings:item_detach": FormSpec(
        "care_coordinator", page="meetings:meeting_detail", kwargs=pupil_meeting
    ),
    # Diagnostics (HGD): the request (free text: saves once, then stale), the report upload
    # (the walk's CSV is no PDF: refused), the recommendations, and the two buttons.
    "careroute:hgd_create": FormSpec(
        "care_coordinator",
        kwargs=hgd_pupil,
        valid={"question": "Lezen?", "expert_name": "Drs. Jansen"},
        saves=True,
    ),
    "careroute:hgd_detail": FormSpec("care_coordinator", saves=True),
    "careroute:hgd_upload": FormSpec("care_coordinator", page="careroute:hgd_detail"),
    "careroute:hgd_recommendations": FormSpec(
        "care_coordinator", page="careroute:hgd_detail", saves=True
    ),
    "careroute:hgd_translate": FormSpec("care_coordinator", page="careroute:hgd_detail"),
    "careroute:hgd_share": FormSpec("care_coordinator", page="careroute:hgd_detail"),
    # The IHP and the OPP. The sections, a goal and the OPP are versioned: saved once, then
    # stale (both versions). Data points, evaluation and revision need a started or evaluated
    # IHP; the OPP's agreement needs the support described (the world's OPP has none: 422).
    "careroute:ihp_create": FormSpec("teacher", page="careroute:pupil_ihps"),
    "careroute:opp_create": FormSpec("care_coordinator", page="careroute:pupil_ihps"),
    "careroute:ihp_detail": FormSpec("care_coordinator", saves=True),
    "careroute:goal_add": FormSpec("teacher", page="careroute:ihp_detail", saves=True),
    "careroute:goal_edit": FormSpec("teacher", saves=True),
    "careroute:goal_remove": FormSpec("teacher", page="careroute:ihp_detail"),
    "careroute:organisation_add": FormSpec(
        "teacher", page="careroute:ihp_detail", valid={"who": "IB"}, saves=True
    ),
    "careroute:organisation_remove": FormSpec("teacher", page="careroute:ihp_detail"),
    "careroute:data_point_remove": FormSpec(
        "teacher",
        page="careroute:ihp_detail",
        kwargs=lambda w: ihp_data_point(w) and {"pk": _ihp(w, "active").pk},
    ),
    "careroute:settings": FormSpec("care_coordinator"),
    "careroute:ihp_start": FormSpec("care_coordinator", page="careroute:ihp_detail"),
    "careroute:data_point_add": FormSpec(
        "teacher",
        page="careroute:ihp_detail",
        kwargs=lambda w: {"pk": _ihp(w, "active").pk},
        saves=True,
    ),
    "careroute:ihp_evaluate": FormSpec(
        "care_coordinator",
        page="careroute:ihp_detail",
        kwargs=lambda w: {"pk": _ihp(w, "active").pk},
    ),
    "careroute:ihp_revise": FormSpec(
        "teacher",
        page="careroute:ihp_detail",
        kwargs=lambda w: {"pk": _ihp(w, "evaluated").pk},
    ),
    "careroute:opp_detail": FormSpec(
        "care_coordinator", valid={"exit_level": "1F", "rationale": "Groeit"}, saves=True
    ),
    "careroute:opp_agreement": FormSpec(
        "care_coordinator", page="careroute:opp_detail", valid={"agreed_on": "2025-01-10"}
    ),
    "careroute:opp_evaluation_add": FormSpec(
        "care_coordinator",
        page="careroute:opp_detail",
        valid={"date": "2025-01-10"},
        saves=True,
    ),
    # Consent and the care team: a decision taken in a conversation saves (its note is free
    # text; a file sent along is ignored then); the registration saves once, then is stale;
    # the case's forms on the documents tab refuse what is not a meeting or a date.
    "careroute:consent_add": FormSpec(
        "care_coordinator",
        valid={
            "how": "conversation",
            "decision": "given",
            "purpose": "care_team",
            "notes": "Gesprek met moeder.",
        },
        saves=True,
    ),
    "careroute:registration_edit": FormSpec("care_coordinator", saves=True),
    "careroute:documents_select": FormSpec("care_coordinator", fields=("document",)),
    "careroute:case_agenda": FormSpec("care_coordinator", page="careroute:pupil_documents"),
    "careroute:case_monitoring": FormSpec("care_coordinator", page="careroute:pupil_documents"),
    "careroute:case_agenda_remove": FormSpec("care_coordinator", page="careroute:pupil_documents"),
    "careroute:case_close": FormSpec("care_coordinator"),
    "pupils:import_upload": FormSpec(
        "care_coordinator", page="pupils:import_list", valid={"kind": "results_csv"}
    ),
    "pupils:import_columns": FormSpec("care_coordinator"),
    "pupils:import_detail": FormSpec(
        "care_coordinator", kwargs=lambda w: {"pk": _import_record(w, "preview").pk}
    ),
    "pupils:import_confirm": FormSpec(
        "care_coordinator",
        page="pupils:import_detail",
        kwargs=lambda w: {"pk": _import_record(w, "preview").pk},
    ),
    "pupils:import_cancel": FormSpec(
        "care_coordinator",
        page="pupils:import_detail",
        kwargs=lambda w: {"pk": _import_record(w, "preview").pk},
    ),
}

# --- Checking an answer ---------------------------------------------------------------------

# Tables whose rows are school and pupil data (history tables included). The access log is
# left out on purpose: every page that shows pupil data adds to it, also a form shown again.
DATA_APPS = (
    "auth",
    "schools",
    "accounts",
    "pupils",
    "groupplans",
    "meetings",
    "django_tasks_db",
)
# A person's calendar link is renewed by every post of its form, and shown on the answer
# itself (once, like a password): it is a credential, not school data.
NOT_DATA = {"meetings_calendarfeed"}


def row_counts() -> dict[str, int]:
    """Rows per data table, in one round trip."""
    tables = sorted(
        {
            m._meta.db_table
            for m in apps.get_models()
            if m._meta.app_label in DATA_APPS and m._meta.managed and not m._meta.proxy
        }
        - NOT_DATA
    )
    quote = connection.ops.quote_name
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip(tables, cursor.fetchone(), strict=True))


def check_answer(client, response, counts_before: dict, what: str) -> dict:
    """Assert the rules above; return the row counts to compare the next answer with."""
    assert response.status_code < 500, f"{what}: {response.status_code}"
    if 300 <= response.status_code < 400:
        location = response["Location"]
        target = urllib.parse.urlsplit(location)
        assert target.scheme in ("", "http", "https"), f"{what}: redirect to {location!r}"
        assert target.netloc in ("", "testserver"), f"{what}: redirect to {location!r}"
        followed = client.get(location)
        assert followed.status_code < 500, f"{what}: {location} gave {followed.status_code}"
        assert raw_markup_in(followed.content.decode(errors="replace")) == [], what
        return row_counts()
    body = response.content.decode(errors="replace")
    assert raw_markup_in(body) == [], f"{what}: unescaped {raw_markup_in(body)}"
    counts_after = row_counts()
    changed = {t: (counts_before[t], n) for t, n in counts_after.items() if counts_before[t] != n}
    assert changed == {}, f"{what}: answered {response.status_code} but saved {changed}"
    return counts_after


# --- Finding the forms ----------------------------------------------------------------------


def _page_url(world, page: str, kwargs: Callable | None) -> str:
    make_kwargs = kwargs or MATRIX[page].kwargs
    return reverse(page, kwargs=make_kwargs(world) if make_kwargs else None)


def _open(client, world, persona: str, url: str):
    client.logout()
    if persona != "anonymous":
        force_login(client, world.users[persona])
    response = client.get(url, follow=True)
    assert response.status_code == 200, (persona, url, response.status_code)
    final = response.redirect_chain[-1][0] if response.redirect_chain else url
    return response, urllib.parse.urljoin(url, final)


def test_every_form_is_covered(world, client):
    """Every POST form on every page, for every persona who may open the page, and every POST
    URL of the access matrix has an entry in FORMS (and every entry names a real form)."""
    found: dict[str, set[str]] = {}
    pages = [(name, None, entry) for name, entry in MATRIX.items() if entry.method == "get"]
    pages += [
        (spec.page or name, spec.kwargs, None) for name, spec in FORMS.items() if not spec.fields
    ]
    for page, kwargs, entry in pages:
        entry = entry or MATRIX[page]
        for persona, expected in entry.expected.items():
            if expected not in (200, 302):
                continue
            url = _page_url(world, page, kwargs)
            response, final = _open(client, world, persona, url)
            for form in forms_of(response, final):
                found.setdefault(url_name(form.action), set()).add(f"{page} as {persona}")
    posted = {name for name, entry in MATRIX.items() if entry.method == "post"}
    for name in posted:
        found.setdefault(name, set()).add("the access matrix (a POST URL)")
    uncovered = {name: sorted(where)[:3] for name, where in found.items() if name not in FORMS}
    assert uncovered == {}, "add these forms to FORMS"
    shown = {name for name, spec in FORMS.items() if not spec.fields}
    assert shown - set(found) == set(), "these FORMS entries were not found on any page"


# --- Walking the forms ----------------------------------------------------------------------


def _the_form(client, world, name: str) -> tuple[Form, str]:
    spec = FORMS[name]
    if spec.fields:
        make_kwargs = spec.kwargs or MATRIX[name].kwargs
        path = reverse(name, kwargs=make_kwargs(world) if make_kwargs else None)
        url = f"http://testserver{path}"
        return Form(url, [FormField(f, "text") for f in spec.fields]), url
    url = _page_url(world, spec.page or name, spec.kwargs)
    response, final = _open(client, world, spec.persona, url)
    matching = [f for f in forms_of(response, final) if url_name(f.action) == name]
    assert matching, f"no form posting to {name} on {final}"
    return matching[0], final


def _relogin(client, world, persona: str) -> None:
    if persona != "anonymous" and "_auth_user_id" not in client.session:
        force_login(client, world.users[persona])


def _with_files(form: Form, data: dict) -> dict:
    return data | {name: _csv_upload() for name in form.file_fields()}


@pytest.mark.parametrize("name", sorted(FORMS))
def test_hostile_values_in_every_field(name, world, client):
    spec = FORMS[name]
    form, _page = _the_form(client, world, name)
    base = form.defaults() | spec.valid
    fields = form.editable() or ["unexpected"]  # a form without fields still gets junk
    counts = row_counts()
    saved = 0
    for field_name in fields:
        for label, value in HOSTILE_TEXT.items():
            _relogin(client, world, spec.persona)
            data = _with_files(form, base | {field_name: value})
            response = client.post(form.action, data)
            counts = check_answer(client, response, counts, f"{name} {field_name}={label}")
            saved += response.status_code == 302
    if spec.saves:
        assert saved, f"no hostile value was ever saved through {name}: check FORMS[{name!r}]"


@pytest.mark.parametrize("name", sorted(FORMS))
def test_invalid_utf8_in_every_field(name, world, client):
    """Bytes that are not UTF-8, raw and percent-encoded, in a URL-encoded body."""
    spec = FORMS[name]
    form, _page = _the_form(client, world, name)
    base = {
        k: urllib.parse.quote(str(v)).encode() for k, v in (form.defaults() | spec.valid).items()
    }
    counts = row_counts()
    for field_name in form.editable() or ["unexpected"]:
        for label, raw in INVALID_UTF8.items():
            for encoded in (raw, urllib.parse.quote_from_bytes(raw).encode()):
                _relogin(client, world, spec.persona)
                pairs = base | {field_name: encoded}
                body = b"&".join(
                    urllib.parse.quote(k).encode() + b"=" + v for k, v in pairs.items()
                )
                response = client.generic(
                    "POST", form.action, body, content_type="application/x-www-form-urlencoded"
                )
                counts = check_answer(client, response, counts, f"{name} {field_name}={label}")


# --- Query strings --------------------------------------------------------------------------

# Every query parameter a page of hgw reads (paging, sorting, year, the audit trail's filters,
# the pupil log's kind and note, the lists' status filters, the plan's area, the wizard's step,
# the action points' owner), each given every hostile value and out-of-range numbers.
QUERY_PARAMETERS = (
    "page",
    "sort",
    "jaar",
    "q",
    "next",
    "tab",
    "user",
    "pupil",
    "date_from",
    "date_to",
    "soort",
    "notitie",
    "area",
    "maand",
    "periode",
    "status",
    "toon",
    "gebied",
    "stap",
    "eigenaar",
    "access_page",
    "revision_page",
)


@pytest.mark.parametrize("name", sorted(n for n, e in MATRIX.items() if e.method == "get"))
def test_hostile_query_strings(name, world, client):
    """Every page, opened by someone allowed to, with hostile values in the query string."""
    entry = MATRIX[name]
    persona = next(p for p, expected in entry.expected.items() if expected in (200, 302))
    url = _page_url(world, name, None)
    counts = row_counts()
    for label, value in HOSTILE_QUERY_VALUES.items():
        _relogin(client, world, persona)
        query = urllib.parse.urlencode(dict.fromkeys(QUERY_PARAMETERS, value))
        response = client.get(f"{url}?{query}")
        counts = check_answer(client, response, counts, f"{name}?{label}")


# The query parameters that carry a number (an id, a page, a year, a step).
NUMBER_PARAMETERS = (
    "page",
    "jaar",
    "user",
    "pupil",
    "notitie",
    "area",
    "gebied",
    "stap",
    "eigenaar",
    "periode",
    "access_page",
    "revision_page",
)


@pytest.mark.parametrize("name", sorted(n for n, e in MATRIX.items() if e.method == "get"))
def test_out_of_range_number_in_each_query_parameter(name, world, client):
    """Every page with a number no database column holds in one number parameter at a time,
    so a valid neighbour does not hide it (an invalid filter form ignores all its fields)."""
    entry = MATRIX[name]
    persona = next(p for p, expected in entry.expected.items() if expected in (200, 302))
    url = _page_url(world, name, None)
    counts = row_counts()
    for parameter in NUMBER_PARAMETERS:
        for label in ("int64_max_plus_one", "int64_min_minus_one"):
            _relogin(client, world, persona)
            query = urllib.parse.urlencode({parameter: OUT_OF_RANGE_INTEGERS[label]})
            response = client.get(f"{url}?{query}", follow=True)
            assert response.status_code < 500, f"{name}?{parameter}={label}"
    # A GET saves nothing, whatever it was given.
    assert row_counts() == counts, name
