"""CSV imports: pupils (for schools without EDEXML), guardians, and test results.

The person matches the file's columns to ours once (`FIELDS`); the match is remembered per
school and kind by the normalised header, so the next file of the same system needs no work.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pupils.actions import enrol, guardians_changed
from pupils.csvfiles import CsvTable, normalise_header, parse_date, parse_decimal
from pupils.imports import Plan, Problem
from pupils.models import (
    ColumnMapping,
    Enrolment,
    EnrolmentKind,
    Group,
    Guardian,
    ImportKind,
    ImportRecord,
    Instrument,
    Pupil,
    Relation,
    Sex,
    TestResult,
)
from schools.models import SchoolYear


@dataclass(frozen=True)
class Field:
    name: str
    label: str | Promise
    required: bool
    guesses: tuple[str, ...]  # normalised headers Dutch systems use for it


_PUPIL_KEY = ("leerlingnummer", "leerling nummer", "leerlingnr", "llnr", "sleutel", "key", "id")
FIELDS: dict[str, list[Field]] = {
    ImportKind.PUPILS_CSV: [
        Field("las_key", gettext_lazy("Pupil number (key)"), True, _PUPIL_KEY),
        Field("given_name", gettext_lazy("Given name"), True, ("roepnaam", "voornaam")),
        Field("name_prefix", gettext_lazy("Name prefix"), False, ("tussenvoegsel", "voorvoegsel")),
        Field("family_name", gettext_lazy("Family name"), True, ("achternaam",)),
        Field(
            "date_of_birth", gettext_lazy("Date of birth"), True, ("geboortedatum", "geb. datum")
        ),
        Field("sex", gettext_lazy("Sex"), False, ("geslacht",)),
        Field("group", gettext_lazy("Group"), False, ("groep", "klas", "stamgroep")),
        Field("date_in", gettext_lazy("Date of entry"), False, ("instroomdatum", "inschrijfdatum")),
    ],
    ImportKind.GUARDIANS_CSV: [
        Field("pupil_key", gettext_lazy("Pupil number (key)"), True, _PUPIL_KEY),
        Field(
            "name",
            gettext_lazy("Name of the guardian"),
            True,
            ("naam ouder", "naam verzorger", "ouder", "naam"),
        ),
        Field("relation", gettext_lazy("Relation"), False, ("relatie", "relatie tot leerling")),
        Field("phone", gettext_lazy("Phone"), False, ("telefoon", "telefoonnummer", "mobiel")),
        Field(
            "email",
            gettext_lazy("E-mail address"),
            False,
            ("e-mail", "email", "e-mailadres", "emailadres"),
        ),
        Field(
            "parental_authority",
            gettext_lazy("Parental authority"),
            False,
            ("gezag", "ouderlijk gezag", "wettelijk gezag"),
        ),
    ],
    ImportKind.RESULTS_CSV: [
        Field("pupil_key", gettext_lazy("Pupil number (key)"), True, _PUPIL_KEY),
        Field("instrument", gettext_lazy("Test"), True, ("toets", "instrument", "toetsnaam")),
        Field(
            "date_taken", gettext_lazy("Date taken"), True, ("datum", "afnamedatum", "toetsdatum")
        ),
        Field("moment", gettext_lazy("Moment"), False, ("moment", "toetsmoment")),
        Field("score", gettext_lazy("Score"), False, ("score", "vaardigheidsscore", "vs", "wpm")),
        Field("level", gettext_lazy("Level"), False, ("niveau", "niveauwaarde")),
    ],
}

_SEX = {
    "0": Sex.UNKNOWN, "1": Sex.MALE, "2": Sex.FEMALE, "9": Sex.UNSPECIFIED,
    "m": Sex.MALE, "man": Sex.MALE, "jongen": Sex.MALE, "j": Sex.MALE,
    "v": Sex.FEMALE, "vrouw": Sex.FEMALE, "meisje": Sex.FEMALE,
    "o": Sex.UNKNOWN, "onbekend": Sex.UNKNOWN, "": Sex.UNKNOWN,
    "x": Sex.UNSPECIFIED, "n": Sex.UNSPECIFIED,
}  # fmt: skip
_RELATION = {
    "moeder": Relation.MOTHER, "vader": Relation.FATHER, "ouder": Relation.PARENT,
    "voogd": Relation.GUARDIAN, "pleegouder": Relation.FOSTER_PARENT,
    "pleegmoeder": Relation.FOSTER_PARENT, "pleegvader": Relation.FOSTER_PARENT,
    "verzorger": Relation.PARENT, "": Relation.PARENT,
}  # fmt: skip
_YES = {"ja", "j", "yes", "y", "1", "true", "waar", "x", ""}
_NO = {"nee", "n", "no", "0", "false", "onwaar"}


def table_to_json(table: CsvTable) -> dict:
    return {
        "headers": table.headers,
        "rows": [[row.number, row.values] for row in table.rows],
        "problems": [{"row": p.row, "message": p.message} for p in table.problems],
    }


def guess_columns(kind: str, headers: list[str], school) -> dict[str, str]:
    """Our field -> the file's header: the school's remembered match first, then a guess."""
    remembered = ColumnMapping.objects.filter(school=school, kind=kind).first()
    by_normal = {normalise_header(h): h for h in headers}
    columns = {}
    for f in FIELDS[kind]:
        known = remembered.columns.get(f.name) if remembered else None
        if known in by_normal:
            columns[f.name] = by_normal[known]
            continue
        for guess in f.guesses:
            if guess in by_normal:
                columns[f.name] = by_normal[guess]
                break
    return columns


def remember_columns(*, kind: str, school, columns: dict[str, str]) -> None:
    ColumnMapping.objects.update_or_create(
        school=school,
        kind=kind,
        defaults={"columns": {k: normalise_header(v) for k, v in columns.items() if v}},
    )


def plan_csv(record: ImportRecord, *, today: datetime.date | None = None) -> Plan:
    planner = {
        ImportKind.PUPILS_CSV: _plan_pupils,
        ImportKind.GUARDIANS_CSV: _plan_guardians,
        ImportKind.RESULTS_CSV: _plan_results,
    }[record.kind]
    plan = Plan(problems=[Problem(p["row"], p["message"]) for p in record.data["problems"]])
    columns = record.options["columns"]
    rows = [
        (number, {f: values.get(header, "") for f, header in columns.items()})
        for number, values in record.data["rows"]
    ]
    planner(plan, rows, record, today or timezone.localdate())
    return plan


def _required(plan: Plan, number: int, values: dict, *names: str) -> bool:
    missing = [n for n in names if not values.get(n)]
    for name in missing:
        plan.problems.append(Problem(number, _("%(field)s is empty.") % {"field": _label(name)}))
    return not missing


def _label(name: str) -> str:
    for fields in FIELDS.values():
        for f in fields:
            if f.name == name:
                return str(f.label)
    return name


def _parse(plan: Plan, number: int, parser, text: str, name: str):
    try:
        return parser(text)
    except ValueError as error:
        plan.problems.append(Problem(number, f"{_label(name)}: {error}"))
        return None


def _plan_pupils(plan: Plan, rows, record: ImportRecord, today) -> None:
    school = record.school
    existing = {p.las_key: p for p in Pupil.objects.filter(school=school)}
    year = SchoolYear.current(today)
    groups = {g.name.lower(): g for g in Group.objects.filter(school=school, school_year=year)}
    main = {
        e.pupil_id: e
        for e in Enrolment.objects.running_on(today)
        .filter(pupil__school=school, kind=EnrolmentKind.MAIN)
        .select_related("group")
    }
    seen: dict[str, int] = {}
    for number, values in rows:
        if not _required(
            plan, number, values, "las_key", "given_name", "family_name", "date_of_birth"
        ):
            continue
        key = values["las_key"]
        if key in seen:
            plan.problems.append(
                Problem(
                    number,
                    _("Pupil number %(key)s appears twice (first in row %(first)s).")
                    % {"key": key, "first": seen[key]},
                )
            )
            continue
        seen[key] = number
        born = _parse(plan, number, parse_date, values["date_of_birth"], "date_of_birth")
        entered = (
            _parse(plan, number, parse_date, values["date_in"], "date_in")
            if values.get("date_in")
            else None
        )
        sex = _SEX.get((values.get("sex") or "").strip().lower())
        if sex is None:
            plan.problems.append(
                Problem(
                    number,
                    _("Sex %(value)s is not one of M, V, 0, 1, 2 or 9.") % {"value": values["sex"]},
                )
            )
        group = None
        if values.get("group"):
            group = groups.get(values["group"].strip().lower())
            if group is None:
                plan.problems.append(
                    Problem(
                        number,
                        _("Group %(name)s does not exist in this school year.")
                        % {"name": values["group"]},
                    )
                )
        if (
            born is None
            or sex is None
            or (values.get("date_in") and entered is None)
            or (values.get("group") and group is None)
        ):
            continue
        current = existing.get(key)
        wanted = {
            "given_name": values["given_name"],
            "name_prefix": values.get("name_prefix", ""),
            "family_name": values["family_name"],
            "date_of_birth": born,
            "sex": sex,
            "date_in": entered or (current.date_in if current else max(today, born)),
        }
        if wanted["date_in"] < born:
            plan.problems.append(
                Problem(number, _("The date of entry lies before the date of birth."))
            )
            continue
        name = " ".join(
            p for p in (wanted["given_name"], wanted["name_prefix"], wanted["family_name"]) if p
        )
        holder = {"pupil": current}
        if current is None:
            plan.add(
                "pupils_created",
                name,
                lambda key=key, wanted=wanted, holder=holder: holder.update(
                    pupil=Pupil.objects.create(school=school, las_key=key, **wanted)
                ),
            )
        else:
            plan.update("pupils_changed", name, current, wanted)
        running = main.get(current.pk) if current else None
        if group is not None and (running is None or running.group_id != group.pk):
            text = f"{name} → {group.name}"
            step = lambda holder=holder, group=group: enrol(  # noqa: E731
                pupil=holder["pupil"], group=group, start_date=max(today, holder["pupil"].date_in)
            )
            if running is not None:
                plan.add("pupils_moved", f"{name}: {running.group.name} → {group.name}", step)
            elif current is None:
                plan.steps.append(step)
            else:
                plan.add("pupils_moved", text, step)


def _pupils_by_key(school, rows) -> dict[str, Pupil]:
    keys = {values["pupil_key"] for _number, values in rows if values.get("pupil_key")}
    return {p.las_key: p for p in Pupil.objects.filter(school=school, las_key__in=keys)}


def _unknown_pupil(plan: Plan, number: int, key: str) -> None:
    plan.problems.append(
        Problem(number, _("There is no pupil with number %(key)s at this school.") % {"key": key})
    )


def _plan_guardians(plan: Plan, rows, record: ImportRecord, today) -> None:
    school = record.school
    pupils = _pupils_by_key(school, rows)
    existing: dict[tuple[int, str], Guardian] = {
        (g.pupil_id, g.name.lower()): g for g in Guardian.objects.filter(pupil__in=pupils.values())
    }
    seen: dict[tuple[int, str], int] = {}
    touched: dict[int, Pupil] = {}
    for number, values in rows:
        if not _required(plan, number, values, "pupil_key", "name"):
            continue
        pupil = pupils.get(values["pupil_key"])
        if pupil is None:
            _unknown_pupil(plan, number, values["pupil_key"])
            continue
        touched[pupil.pk] = pupil
        relation = _RELATION.get((values.get("relation") or "").strip().lower())
        authority_text = (values.get("parental_authority") or "").strip().lower()
        email = (values.get("email") or "").strip().lower()
        ok = True
        if relation is None:
            plan.problems.append(
                Problem(
                    number,
                    _("Relation %(value)s is not one of moeder, vader, ouder, voogd or pleegouder.")
                    % {"value": values["relation"]},
                )
            )
            ok = False
        if authority_text not in _YES | _NO:
            plan.problems.append(
                Problem(
                    number,
                    _("Parental authority %(value)s is not ja or nee.")
                    % {"value": values["parental_authority"]},
                )
            )
            ok = False
        if email:
            try:
                validate_email(email)
            except ValidationError:
                plan.problems.append(
                    Problem(number, _("%(value)s is not an e-mail address.") % {"value": email})
                )
                ok = False
        identity = (pupil.pk, values["name"].lower())
        if identity in seen:
            plan.problems.append(
                Problem(
                    number,
                    _("This guardian appears twice for this pupil (first in row %(first)s).")
                    % {"first": seen[identity]},
                )
            )
            ok = False
        seen[identity] = number
        if not ok:
            continue
        wanted = {
            "name": values["name"],
            "relation": relation,
            "phone": values.get("phone", ""),
            "email": email,
            "has_parental_authority": authority_text in _YES,
        }
        current = existing.get(identity)
        label = f"{wanted['name']} ({pupil.full_name})"
        if current is None:
            plan.add(
                "guardians_created",
                label,
                lambda pupil=pupil, wanted=wanted: Guardian.objects.create(pupil=pupil, **wanted),
            )
            continue
        plan.update("guardians_changed", label, current, wanted)
    # After the pupil's guardians are written, as a guardian added or edited by hand (a new
    # one with parental authority has not consented to anything yet).
    for pupil in touched.values():
        plan.steps.append(lambda pupil=pupil: guardians_changed(pupil=pupil, by=record.created_by))


def _plan_results(plan: Plan, rows, record: ImportRecord, today) -> None:
    school = record.school
    pupils = _pupils_by_key(school, rows)
    instruments = {i.name.lower(): i for i in Instrument.objects.for_school(school)}
    existing = {
        (r.pupil_id, r.instrument_id, r.date_taken): r
        for r in TestResult.objects.filter(pupil__in=pupils.values())
    }
    seen: dict[tuple, int] = {}
    for number, values in rows:
        if not _required(plan, number, values, "pupil_key", "instrument", "date_taken"):
            continue
        pupil = pupils.get(values["pupil_key"])
        instrument = instruments.get(values["instrument"].strip().lower())
        if pupil is None:
            _unknown_pupil(plan, number, values["pupil_key"])
        if instrument is None:
            plan.problems.append(
                Problem(
                    number,
                    _("hgw does not know the test %(name)s; add it as an instrument first.")
                    % {"name": values["instrument"]},
                )
            )
        taken = _parse(plan, number, parse_date, values["date_taken"], "date_taken")
        score = (
            _parse(plan, number, parse_decimal, values["score"], "score")
            if values.get("score")
            else None
        )
        if (
            pupil is None
            or instrument is None
            or taken is None
            or (values.get("score") and score is None)
        ):
            continue
        try:
            level = instrument.normalise_level(values.get("level", ""))
        except ValueError as error:
            plan.problems.append(Problem(number, str(error)))
            continue
        if taken > today or taken < pupil.date_of_birth:
            plan.problems.append(
                Problem(number, _("The date taken lies in the future or before the pupil's birth."))
            )
            continue
        if instrument.has_score and score is None:
            plan.problems.append(
                Problem(number, _("%(test)s needs a score.") % {"test": instrument.name})
            )
            continue
        if score is None and not level:
            plan.problems.append(Problem(number, _("The row has neither a score nor a level.")))
            continue
        identity = (pupil.pk, instrument.pk, taken)
        if identity in seen:
            plan.problems.append(
                Problem(
                    number,
                    _("This result appears twice (first in row %(first)s).")
                    % {"first": seen[identity]},
                )
            )
            continue
        seen[identity] = number
        wanted = {
            "score": score,
            "level": level,
            "moment": (values.get("moment") or "").strip().upper(),
        }
        current = existing.get(identity)
        label = f"{pupil.full_name}: {instrument.name} {taken:%d-%m-%Y}"
        if current is None:
            plan.add(
                "results_created",
                label,
                lambda pupil=pupil, instrument=instrument, taken=taken, wanted=wanted: (
                    TestResult.objects.create(
                        pupil=pupil,
                        instrument=instrument,
                        date_taken=taken,
                        import_record=record,
                        **wanted,
                    )
                ),
            )
            continue
        plan.update("results_changed", label, current, wanted)
