"""Importing what the school's own systems already hold.

Every import goes the same way (README, "Imports"): upload -> (CSV only: match the columns)
-> preview -> confirm -> applied in one transaction by the background worker. A plan compares
what the file says with what hgw holds and lists every change and every problem. Applying
plans again inside the transaction, so nothing is ever written from a stale preview. A file
with problems applies nothing, unless the person chose to skip the listed rows — and then
every row that depends on a skipped row is skipped (and listed) too. Importing the same file
twice changes nothing the second time.
"""

import dataclasses
import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Membership, Role, User
from audit.history import acting_as
from pupils.actions import assign_teacher, enrol
from pupils.edexml import EdexFile, EdexGroup, EdexPupil, EdexTeacher, parse_edexml
from pupils.models import (
    Enrolment,
    EnrolmentKind,
    Group,
    GroupTeacherAssignment,
    ImportKind,
    ImportRecord,
    ImportStatus,
    Pupil,
)
from schools.actions import ensure_default_periods, ensure_school_year
from schools.models import School, SchoolYear

# The preview's sections, in the order they are shown.
SECTIONS = {
    "school_year_created": gettext_lazy("School year created"),
    "groups_created": gettext_lazy("Groups created"),
    "groups_changed": gettext_lazy("Groups changed"),
    "pupils_created": gettext_lazy("Pupils added"),
    "pupils_changed": gettext_lazy("Pupils changed"),
    "pupils_moved": gettext_lazy("Pupils moved to another group"),
    "composed_changed": gettext_lazy("Composed groups changed"),
    "pupils_left": gettext_lazy("Pupils marked as left"),
    "staff_created": gettext_lazy("Accounts created"),
    "memberships_added": gettext_lazy("Roles added"),
    "assignments_added": gettext_lazy("Teachers assigned to groups"),
    "assignments_ended": gettext_lazy("Group assignments ended"),
    "memberships_ended": gettext_lazy("Roles ended"),
    "guardians_created": gettext_lazy("Guardians added"),
    "guardians_changed": gettext_lazy("Guardians changed"),
    "results_created": gettext_lazy("Results added"),
    "results_changed": gettext_lazy("Results changed"),
}

# EDEXML role codes and the role each gives at the school. Other codes are ignored.
EDEX_ROLES = {
    "LRK": Role.TEACHER,
    "LK": Role.TEACHER,
    "IB": Role.CARE_COORDINATOR,
    "DIR": Role.DIRECTOR,
    "ADM": Role.SCHOOL_ADMIN,
}
# The roles a full EDEXML export speaks for: only these end when someone is missing from it.
ROLES_IN_EDEXML = {Role.TEACHER, Role.CARE_COORDINATOR, Role.DIRECTOR}

COMPOSED_KEY_PREFIX = "sg:"  # composed groups have keys of their own in EDEXML


@dataclass(frozen=True)
class Problem:
    row: int
    message: str

    def as_json(self) -> dict:
        return {"row": self.row, "message": self.message}


@dataclass
class Plan:
    """What an import will change, what is wrong with the file, and the steps to apply it."""

    problems: list[Problem] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    blockers: list[str] = field(default_factory=list)
    changes: dict[str, list[str]] = field(default_factory=dict)
    steps: list[Callable[[], None]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, section: str, text: str, step: Callable[[], None] | None = None) -> None:
        self.changes.setdefault(section, []).append(text)
        if step is not None:
            self.steps.append(step)

    def update(self, section: str, label: str, instance, wanted: dict) -> None:
        """Plan to bring `instance` to `wanted`; listed as "label: changed fields" when
        anything differs, and nothing at all when the record already says it."""
        changed = {k: v for k, v in wanted.items() if getattr(instance, k) != v}
        if changed:
            fields = ", ".join(_field_label(type(instance), k) for k in changed)
            self.add(section, f"{label}: {fields}", lambda: _save_changes(instance, changed))

    @property
    def counts(self) -> dict[str, int]:
        return {section: len(lines) for section, lines in self.changes.items()}

    def sections(self) -> list[tuple[str, str, list[str]]]:
        return [
            (key, str(SECTIONS[key]), self.changes[key]) for key in SECTIONS if key in self.changes
        ]

    def can_apply(self, *, skip_problems: bool) -> bool:
        return not self.blockers and (skip_problems or not self.problems)

    def apply(self) -> None:
        for step in self.steps:
            step()


class ImportRefused(Exception):
    """The file cannot be imported here at all (wrong school, unreadable, ...)."""


def effective_date(year: SchoolYear | None, start_year: int, today: datetime.date) -> datetime.date:
    """The day changes take effect: today within the file's school year, else its first day."""
    start = year.start_date if year else SchoolYear.default_dates(start_year)[0]
    return max(today, start)


# EDEXML -------------------------------------------------------------------------------------


def read_edexml(data: bytes, *, school: School | None) -> EdexFile:
    """Parse an EDEXML file and check it belongs to `school` (None: any, the command line)."""
    edex = parse_edexml(data)
    if school is not None and not school.has_brin(edex.school.brin, edex.school.dependance_code):
        raise ImportRefused(
            _(
                "This file is for the school with BRIN code %(file)s, not for %(school)s "
                "(%(brin)s). Nothing has been imported."
            )
            % {
                "file": edex.school.brin + edex.school.dependance_code,
                "school": school.name,
                "brin": school.brin + school.dependance_code,
            }
        )
    return edex


def edex_to_json(edex: EdexFile) -> dict:
    """What hgw keeps of the file between upload and confirmation (only the fields it uses)."""

    def convert(value):
        if isinstance(value, datetime.date):
            return value.isoformat()
        if isinstance(value, tuple | list):
            return [convert(v) for v in value]
        if isinstance(value, dict):
            return {k: convert(v) for k, v in value.items()}
        return value

    return convert(dataclasses.asdict(edex))


def edex_from_json(data: dict) -> EdexFile:
    from pupils import edexml

    def build(cls, values: dict):
        kwargs = {}
        for f in dataclasses.fields(cls):
            value = values[f.name]
            if f.name in ("date_of_birth", "date_in", "date_out") and value:
                value = datetime.date.fromisoformat(value)
            elif isinstance(value, list) and f.name not in ("problems",):
                value = tuple(value)
            kwargs[f.name] = value
        return cls(**kwargs)

    return edexml.EdexFile(
        version=data["version"],
        school=build(edexml.EdexSchool, data["school"]),
        groups=[build(edexml.EdexGroup, g) for g in data["groups"]],
        composed_groups=[build(edexml.EdexGroup, g) for g in data["composed_groups"]],
        pupils=[build(edexml.EdexPupil, p) for p in data["pupils"]],
        teachers=[build(edexml.EdexTeacher, t) for t in data["teachers"]],
        problems=[build(edexml.EdexProblem, p) for p in data["problems"]],
    )


def plan_edexml(
    edex: EdexFile,
    *,
    school: School,
    full: bool = False,
    create_school_year: bool = False,
    by: User | None = None,
    today: datetime.date | None = None,
) -> Plan:
    return _EdexPlanner(edex, school, full, create_school_year, by, today).plan()


class _EdexPlanner:
    def __init__(self, edex, school, full, create_school_year, by, today):
        self.edex, self.school, self.full, self.by = edex, school, full, by
        self.today = today or timezone.localdate()
        self.start_year = edex.school.school_year_start
        self.year = SchoolYear.objects.filter(start_year=self.start_year).first()
        self.create_school_year = create_school_year
        self.day = effective_date(self.year, self.start_year, self.today)
        self.result = Plan(problems=[Problem(p.line, p.message) for p in edex.problems])
        # Groups by their key in the file, once they exist (filled while applying).
        self.groups: dict[str, Group] = {}
        # The file's key of every existing group the file names (a group made by hand gets
        # its key only when the plan is applied, so compare groups by this, not by las_key).
        self.key_of: dict[int, str] = {}
        # Groups this plan refuses (the parser already refused pupils of groups it skipped).
        self.bad_group_keys: set[str] = set()

    def plan(self) -> Plan:
        plan = self.result
        year_name = f"{self.start_year}-{self.start_year + 1}"
        if self.year is None:
            if self.create_school_year:
                plan.add("school_year_created", year_name, self._create_year)
            else:
                plan.blockers.append(
                    _("School year %(year)s does not exist in hgw yet.") % {"year": year_name}
                )
        elif self.year.end_date < self.today:
            raise ImportRefused(
                _(
                    "This file is for school year %(year)s, which has ended. "
                    "Nothing has been imported."
                )
                % {"year": year_name}
            )
        self._plan_groups()
        self._plan_pupils()
        self._plan_teachers()
        if self.full:
            self._plan_leavers()
            self._plan_staff_leavers()
        plan.notes.append(
            _(
                "EDEXML carries no guardians. Add them with the guardians' CSV import, or on "
                "the pupil's page."
            )
        )
        return plan

    # steps that create what later steps need

    def _create_year(self) -> None:
        self.year = ensure_school_year(start_year=self.start_year)
        ensure_default_periods(school=self.school, school_year=self.year)

    # groups

    def _grades_of_combination(self, group: EdexGroup) -> tuple[int | None, int | None]:
        grades = sorted(
            {
                int(p.grade)
                for p in self.edex.pupils
                if p.group_key == group.key and p.grade and p.grade.isdigit()
            }
        )
        return (grades[0], grades[-1]) if grades else (None, None)

    def _plan_groups(self) -> None:
        groups = (
            list(Group.objects.filter(school=self.school, school_year=self.year))
            if self.year
            else []
        )
        existing = {g.las_key: g for g in groups if g.las_key}
        # A group made by hand (no key yet) is matched by its name and gets the file's key.
        unkeyed = {g.name: g for g in groups if not g.las_key}
        seen_names: dict[str, int] = {}
        for group in [*self.edex.groups, *self.edex.composed_groups]:
            key = (COMPOSED_KEY_PREFIX if group.composed else "") + group.key
            if group.name in seen_names:
                self._problem(
                    group.line,
                    _("Group %(name)s appears twice (first on line %(first)s).")
                    % {"name": group.name, "first": seen_names[group.name]},
                )
                self.bad_group_keys.add(group.key)
                continue
            seen_names[group.name] = group.line
            if group.composed or group.grade in ("S",):
                low = high = None
            elif group.grade == "C":
                low, high = self._grades_of_combination(group)
            else:
                low = high = int(group.grade)
            current = existing.get(key) or unkeyed.get(group.name)
            if current is None:
                self.result.add(
                    "groups_created",
                    group.name,
                    lambda key=key, group=group, low=low, high=high: self._create_group(
                        key, group, low, high
                    ),
                )
                continue
            wanted = {"name": group.name, "grade_low": low, "grade_high": high, "las_key": key}
            self.result.update("groups_changed", group.name, current, wanted)
            self.groups[key] = current
            self.key_of[current.pk] = key

    def _create_group(self, key: str, group: EdexGroup, low, high) -> None:
        self.groups[key] = Group.objects.create(
            school=self.school,
            school_year=self.year,
            name=group.name,
            grade_low=low,
            grade_high=high,
            las_key=key,
        )

    # pupils

    def _plan_pupils(self) -> None:
        existing = {p.las_key: p for p in Pupil.objects.filter(school=self.school)}
        main = {
            e.pupil_id: e
            for e in Enrolment.objects.running_on(self.day)
            .filter(pupil__school=self.school, kind=EnrolmentKind.MAIN)
            .select_related("group")
        }
        composed: dict[int, dict[str, Enrolment]] = {}
        for e in (
            Enrolment.objects.running_on(self.day)
            .filter(pupil__school=self.school, kind=EnrolmentKind.COMPOSED)
            .select_related("group")
        ):
            composed.setdefault(e.pupil_id, {})[self._key(e.group)] = e
        for pupil in self.edex.pupils:
            bad = [
                k for k in (pupil.group_key, *pupil.composed_group_keys) if k in self.bad_group_keys
            ]
            if bad:
                self.result.skipped.append(
                    Problem(
                        pupil.line,
                        _("Pupil %(key)s is skipped because group %(group)s is skipped.")
                        % {"key": pupil.key, "group": bad[0]},
                    )
                )
                continue
            if pupil.date_in and pupil.date_in < pupil.date_of_birth:
                self._problem(
                    pupil.line,
                    _("Pupil %(key)s entered school before being born.") % {"key": pupil.key},
                )
                continue
            self._plan_pupil(pupil, existing.get(pupil.key), main, composed)

    def _pupil_fields(self, pupil: EdexPupil, current: Pupil | None) -> dict:
        return {
            "given_name": pupil.given_name,
            "name_prefix": pupil.name_prefix,
            "family_name": pupil.family_name,
            "date_of_birth": pupil.date_of_birth,
            "sex": pupil.sex,
            "eck_id": pupil.eck_id,
            "date_in": pupil.date_in or (current.date_in if current else self.day),
            "date_out": pupil.date_out,
        }

    def _plan_pupil(self, pupil: EdexPupil, current: Pupil | None, main, composed) -> None:
        name = " ".join(p for p in (pupil.given_name, pupil.name_prefix, pupil.family_name) if p)
        wanted = self._pupil_fields(pupil, current)
        holder: dict[str, Pupil] = {}
        if current is None:
            self.result.add(
                "pupils_created",
                name,
                lambda pupil=pupil, wanted=wanted, holder=holder: holder.setdefault(
                    "pupil",
                    Pupil.objects.create(school=self.school, las_key=pupil.key, **wanted),
                ),
            )
        else:
            holder["pupil"] = current
            self.result.update("pupils_changed", name, current, wanted)
        left = pupil.date_out is not None and pupil.date_out <= self.day
        if left:
            if current is None or main.get(current.pk) is not None:
                self.result.add(
                    "pupils_left",
                    _("%(name)s (left on %(date)s)")
                    % {"name": name, "date": pupil.date_out.strftime("%d-%m-%Y")},
                    lambda holder=holder, on=pupil.date_out: _end_enrolments(holder["pupil"], on),
                )
            return
        if pupil.group_key:
            running = main.get(current.pk) if current else None
            if running is None or self._key(running.group) != pupil.group_key:
                group_name = self._group_name(pupil.group_key)
                text = (
                    _("%(name)s: %(from)s → %(to)s")
                    % {"name": name, "from": running.group.name, "to": group_name}
                    if running
                    else _("%(name)s → %(to)s") % {"name": name, "to": group_name}
                )
                section = "pupils_moved" if running else "pupils_created"
                step = lambda holder=holder, key=pupil.group_key: enrol(  # noqa: E731
                    pupil=holder["pupil"],
                    group=self.groups[key],
                    start_date=max(self.day, holder["pupil"].date_in),
                )
                if section == "pupils_moved":
                    self.result.add(section, text, step)
                else:
                    self.result.steps.append(step)
        if pupil.date_out is not None:
            # Leaving later: the groups end on that day, also a group this import starts.
            self.result.steps.append(
                lambda holder=holder, on=pupil.date_out: _end_enrolments(holder["pupil"], on)
            )
        wanted_composed = {COMPOSED_KEY_PREFIX + k for k in pupil.composed_group_keys}
        current_composed = composed.get(current.pk, {}) if current else {}
        for key in sorted(wanted_composed - set(current_composed)):
            self.result.add(
                "composed_changed",
                _("%(name)s joins %(group)s")
                % {
                    "name": name,
                    "group": self._group_name(key.removeprefix(COMPOSED_KEY_PREFIX), composed=True),
                },
                lambda holder=holder, key=key: enrol(
                    pupil=holder["pupil"],
                    group=self.groups[key],
                    start_date=max(self.day, holder["pupil"].date_in),
                    kind=EnrolmentKind.COMPOSED,
                ),
            )
        for key in sorted(set(current_composed) - wanted_composed):
            enrolment = current_composed[key]
            if enrolment.group.school_year_id != (self.year.pk if self.year else None):
                continue
            self.result.add(
                "composed_changed",
                _("%(name)s leaves %(group)s") % {"name": name, "group": enrolment.group.name},
                lambda enrolment=enrolment: _end(enrolment, self.day),
            )

    def _key(self, group: Group) -> str:
        return self.key_of.get(group.pk, group.las_key)

    def _group_name(self, key: str, composed: bool = False) -> str:
        source = self.edex.composed_groups if composed else self.edex.groups
        return next((g.name for g in source if g.key == key), key)

    def _plan_leavers(self) -> None:
        in_file = {p.key for p in self.edex.pupils} | {
            p.key for p in self.edex.problems if p.element == "leerling" and p.key
        }
        for pupil in Pupil.objects.filter(school=self.school, date_out__isnull=True).exclude(
            las_key__in=in_file
        ):
            self.result.add(
                "pupils_left",
                _("%(name)s (not in the full export)") % {"name": pupil.full_name},
                lambda pupil=pupil: _mark_left(pupil, self.day),
            )

    # staff

    def _plan_teachers(self) -> None:
        users = {
            u.email.lower(): u
            for u in User.objects.filter(
                email__in=[t.email.lower() for t in self.edex.teachers if t.email]
            )
        }
        memberships = {
            (m.user_id, m.role)
            for m in Membership.objects.active(self.day).filter(school=self.school)
        }
        assignments: dict[int, dict[str, GroupTeacherAssignment]] = {}
        if self.year:
            for a in GroupTeacherAssignment.objects.filter(
                group__school=self.school, group__school_year=self.year
            ).select_related("group"):
                if a.is_running_on(self.day):
                    assignments.setdefault(a.teacher_id, {})[self._key(a.group)] = a
        for teacher in self.edex.teachers:
            if not teacher.email:
                self._problem(
                    teacher.line,
                    _("Teacher %(name)s has no e-mail address, so hgw cannot make an account.")
                    % {"name": teacher.full_name},
                )
                continue
            self._plan_teacher(teacher, users.get(teacher.email.lower()), memberships, assignments)

    def _plan_teacher(self, teacher: EdexTeacher, user, memberships, assignments) -> None:
        holder: dict[str, User] = {}
        if user is None:
            self.result.add(
                "staff_created",
                f"{teacher.full_name} ({teacher.email})",
                lambda teacher=teacher, holder=holder: holder.setdefault(
                    "user", User.objects.create_user(teacher.email, teacher.full_name)
                ),
            )
        else:
            holder["user"] = user
        roles = {EDEX_ROLES[r] for r in teacher.roles if r in EDEX_ROLES}
        keys = [
            *teacher.group_keys,
            *(COMPOSED_KEY_PREFIX + k for k in teacher.composed_group_keys),
        ]
        if keys:
            roles.add(Role.TEACHER)
        for role in sorted(roles):
            if user is not None and (user.pk, role) in memberships:
                continue
            self.result.add(
                "memberships_added",
                f"{teacher.full_name}: {Role(role).label}",
                lambda holder=holder, role=role: Membership.objects.create(
                    user=holder["user"], school=self.school, role=role, start_date=self.day
                ),
            )
        current = assignments.get(user.pk, {}) if user else {}
        for key in keys:
            if key.removeprefix(COMPOSED_KEY_PREFIX) in self.bad_group_keys or key in current:
                continue
            file_key = key.removeprefix(COMPOSED_KEY_PREFIX)
            group_name = self._group_name(file_key, composed=key != file_key)
            self.result.add(
                "assignments_added",
                f"{teacher.full_name}: {group_name}",
                lambda holder=holder, key=key: assign_teacher(
                    group=self.groups[key], teacher=holder["user"], start_date=self.day
                ),
            )
        for key, assignment in current.items():
            if key not in keys and key:
                self.result.add(
                    "assignments_ended",
                    f"{teacher.full_name}: {assignment.group.name}",
                    lambda assignment=assignment: _end(assignment, self.day),
                )

    def _plan_staff_leavers(self) -> None:
        in_file = {t.email.lower() for t in self.edex.teachers if t.email}
        for membership in (
            Membership.objects.active(self.day)
            .filter(school=self.school, role__in=ROLES_IN_EDEXML)
            .select_related("user")
        ):
            if membership.user.email.lower() in in_file or membership.user == self.by:
                continue
            self.result.add(
                "memberships_ended",
                f"{membership.user.full_name}: {membership.get_role_display()}",
                lambda membership=membership: _end(membership, self.day),
            )

    def _problem(self, line: int, message: str) -> None:
        self.result.problems.append(Problem(line, message))


def _field_label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def _save_changes(instance, changed: dict) -> None:
    for name, value in changed.items():
        setattr(instance, name, value)
    instance.save(update_fields=list(changed))


def _end(dated, day: datetime.date) -> None:
    """End a dated range (enrolment, assignment, membership) on `day`."""
    dated.end_date = max(day, dated.start_date)
    dated.save(update_fields=["end_date"])


def _end_enrolments(pupil: Pupil, on: datetime.date) -> None:
    for enrolment in Enrolment.objects.filter(pupil=pupil).running_on(on):
        _end(enrolment, on)
    for enrolment in Enrolment.objects.filter(pupil=pupil, start_date__gt=on):
        _end(enrolment, enrolment.start_date)


def _mark_left(pupil: Pupil, on: datetime.date) -> None:
    """The pupil left the school: never deleted, only dated."""
    pupil.date_out = max(on, pupil.date_in)
    pupil.save(update_fields=["date_out"])
    _end_enrolments(pupil, pupil.date_out)


# Running an import ----------------------------------------------------------------------------


def plan_record(record: ImportRecord, *, today: datetime.date | None = None) -> Plan:
    """The plan of an open import, from what was read of its file and the chosen options."""
    options = record.options
    if record.kind == ImportKind.EDEXML:
        return plan_edexml(
            edex_from_json(record.data),
            school=record.school,
            full=options.get("full", False),
            create_school_year=options.get("create_school_year", False),
            by=record.created_by,
            today=today,
        )
    from pupils.csvimports import plan_csv

    return plan_csv(record, today=today)


def apply_record(record_id: int) -> ImportRecord:
    """Apply a confirmed import in one transaction; on any problem nothing is applied."""
    record = ImportRecord.objects.get(pk=record_id)
    record.status = ImportStatus.APPLYING
    record.progress = _("Checking the file against hgw")
    record.save(update_fields=["status", "progress"])
    try:
        with transaction.atomic(), acting_as(record.created_by):
            ImportRecord.objects.select_for_update().get(pk=record.pk)
            plan = plan_record(record)
            skip = record.options.get("skip_problems", False)
            if not plan.can_apply(skip_problems=skip):
                raise ImportRefused(
                    _("The file no longer matches what hgw holds: check the preview again.")
                )
            plan.apply()
    except Exception as error:
        record.status = ImportStatus.FAILED
        message = (
            str(error)
            if isinstance(error, ImportRefused)
            else _("Something went wrong while importing; nothing has been changed.")
        )
        record.problems = [*record.problems, {"row": 0, "message": message}]
        record.progress = ""
        record.finished_at = timezone.now()
        record.save(update_fields=["status", "problems", "progress", "finished_at"])
        if not isinstance(error, ImportRefused):
            raise
        return record
    record.status = ImportStatus.APPLIED
    record.counts = plan.counts
    record.problems = [p.as_json() for p in [*plan.problems, *plan.skipped]]
    record.data = {}  # the file's contents are no longer needed once applied
    record.progress = ""
    record.finished_at = timezone.now()
    record.save(update_fields=["status", "counts", "problems", "data", "progress", "finished_at"])
    return record


# The steps of an import, as the pages and commands take them --------------------------------


def start_import(*, kind: str, data: bytes, file_name: str, school: School, by) -> ImportRecord:
    """Read an uploaded file and keep what hgw needs of it for the next step.

    Raises EdexError, CsvError or ImportRefused when the file cannot be imported at all.
    """
    from pupils.csvfiles import read_csv
    from pupils.csvimports import guess_columns, table_to_json

    name = file_name.replace("\\", "/").rsplit("/", 1)[-1][:255]
    if kind == ImportKind.EDEXML:
        edex = read_edexml(data, school=school)
        return ImportRecord.objects.create(
            school=school, kind=kind, file_name=name, created_by=by,
            status=ImportStatus.PREVIEW, data=edex_to_json(edex),
        )  # fmt: skip
    table = read_csv(data)
    return ImportRecord.objects.create(
        school=school,
        kind=kind,
        file_name=name,
        created_by=by,
        status=ImportStatus.MAPPING,
        data=table_to_json(table),
        options={"columns": guess_columns(kind, table.headers, school)},
    )


def set_columns(*, record: ImportRecord, columns: dict[str, str]) -> None:
    from pupils.csvimports import remember_columns

    with transaction.atomic():
        record.options = {**record.options, "columns": {k: v for k, v in columns.items() if v}}
        record.status = ImportStatus.PREVIEW
        record.save(update_fields=["options", "status"])
        remember_columns(kind=record.kind, school=record.school, columns=columns)


def set_options(*, record: ImportRecord, options: dict) -> None:
    record.options = {**record.options, **options}
    record.save(update_fields=["options"])


def confirm_import(*, record: ImportRecord) -> None:
    """Hand a checked import to the worker; it applies it after this transaction commits."""
    from pupils.tasks import apply_import

    with transaction.atomic():
        locked = ImportRecord.objects.select_for_update().get(pk=record.pk)
        if locked.status != ImportStatus.PREVIEW:
            raise ImportRefused(_("This import has already been confirmed or cancelled."))
        plan = plan_record(locked)
        if not plan.can_apply(skip_problems=locked.options.get("skip_problems", False)):
            raise ImportRefused(_("Solve the problems first, or choose to skip those rows."))
        locked.status = ImportStatus.QUEUED
        locked.progress = _("Waiting for the worker")
        locked.save(update_fields=["status", "progress"])
        transaction.on_commit(lambda: apply_import.enqueue(record_id=locked.pk))


def cancel_import(*, record: ImportRecord) -> None:
    record.status = ImportStatus.CANCELLED
    record.data = {}
    record.finished_at = timezone.now()
    record.save(update_fields=["status", "data", "finished_at"])
