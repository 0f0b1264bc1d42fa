"""The group plan on paper and its week: the print page, the PDF (A4 landscape, page furniture
on every page, read like a document for an inspector) and the week view, for exactly the plan's
readers, logged, in a fixed number of queries."""

import datetime
import re
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst

from audit.models import AccessLogEntry
from groupplans import actions, plan_actions
from groupplans.models import Outcome, PlanPart, Subgroup, SubgroupKind
from hgw.trail import PAGE_NAMES
from pupils.models import Enrolment, SubjectArea
from tests.groupplans.conftest import add_pupils, add_result

pytestmark = pytest.mark.django_db

KINDS = ["print", "pdf", "week"]


def _nl(message: str) -> str:
    with translation.override("nl"):
        return translation.gettext(message)


def _label(name: str) -> str:
    """A subgroup field's label as the Dutch paper shows it."""
    with translation.override("nl"):
        return capfirst(str(Subgroup._meta.get_field(name).verbose_name))


def _url(kind: str, plan) -> str:
    return reverse(f"groupplans:plan_{kind}", kwargs={"pk": plan.pk})


def _section(plan, subject: str):
    return plan.sections.get(area__subjects__contains=subject)


def _save(obj, **values):
    obj.refresh_from_db()
    return plan_actions.save_versioned(
        obj=obj, values=values, seen_version=obj.version, by=obj.updated_by
    )


def _pdf_text(content: bytes, tmp_path) -> str:
    """The PDF's text, pages separated by form feeds, wrapped lines joined again."""
    path = tmp_path / "plan.pdf"
    path.write_bytes(content)
    result = subprocess.run(["/usr/bin/pdftotext", str(path), "-"], capture_output=True, check=True)
    text = re.sub("\u2010\\s+", "", result.stdout.decode())
    return "\f".join(" ".join(page.split()) for page in text.split("\f"))


def _pdf_info(content: bytes, tmp_path) -> dict[str, str]:
    path = tmp_path / "info.pdf"
    path.write_bytes(content)
    result = subprocess.run(
        ["/usr/bin/pdfinfo", str(path)], capture_output=True, check=True, text=True
    )
    return dict(
        (key.strip(), value.strip())
        for key, value in (line.split(":", 1) for line in result.stdout.splitlines() if ":" in line)
    )


@pytest.fixture
def filled(world, plan, period):
    """The plan with Sanne in the intensive maths group, its goals and organisation filled
    in, a basic offer, what the whole group needs, and a comment of the IB."""
    teacher = world.users["teacher"]
    maths = _section(plan, SubjectArea.MATHS)
    intensive = maths.subgroups.get(kind=SubgroupKind.INTENSIVE)
    plan_actions.place_pupil(section=maths, pupil_id=world.pupil.pk, subgroup=intensive, by=teacher)
    _save(maths, basic_offer="Pluspunt, dagelijks 60 minuten")
    _save(
        intensive,
        goal_didactic="Tafels 1 t/m 5 automatiseren",
        goal_measure="Tempotoets tafels",
        goal_criterion="40 sommen in 2 minuten, 90% goed",
        goal_date=period.end_date,
        content="Tafels 1-5 en 10",
        approach="Verlengde instructie aan de instructietafel",
        days="1,3",
        start_time=datetime.time(9, 0),
        minutes=30,
        staff="juf Anna",
    )
    attitude = plan.sections.get(area__part=PlanPart.ATTITUDE)
    _save(attitude, learning_style="Korte instructies werken het best", interests="Voetbal")
    plan_actions.add_comment(
        plan=plan, text="Let op de planning op maandag.", by=world.users["care_coordinator"]
    )
    return plan


# Who may open them -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("persona", ["teacher", "care_coordinator", "director"])
def test_the_plans_readers_may_open_them(world, plan, client_for, kind, persona):
    assert client_for(persona).get(_url(kind, plan)).status_code == 200


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("persona", ["other_teacher", "school_admin", "other_school_ib"])
def test_others_get_404(world, plan, client_for, kind, persona):
    assert client_for(persona).get(_url(kind, plan)).status_code == 404


@pytest.mark.parametrize("kind", KINDS)
def test_each_is_logged_with_its_pupils(world, filled, client_for, kind):
    client_for("director").get(_url(kind, filled))
    entry = AccessLogEntry.objects.latest("pk")
    assert entry.what == f"groupplans:plan_{kind}"
    assert entry.user == world.users["director"]
    assert list(entry.pupils.values_list("pupil_id", flat=True)) == [world.pupil.pk]


@pytest.mark.parametrize("kind", KINDS)
def test_the_audit_trail_names_the_page(kind):
    assert f"groupplans:plan_{kind}" in PAGE_NAMES


def test_the_pdf_downloads_named_after_group_and_period(world, plan, client_for):
    response = client_for("teacher").get(_url("pdf", plan))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="groepsplan-groep-5-periode-1.pdf"'
    )
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_fixed_number_of_queries_whatever_the_group(
    world, filled, period, maths, client_for, kind, django_assert_num_queries
):
    client = client_for("teacher")
    client.get(_url(kind, filled))  # the session and the school settle on the first request
    with CaptureQueriesContext(connection) as captured:
        assert client.get(_url(kind, filled)).status_code == 200
    few = len(captured)

    teacher = world.users["teacher"]
    pupils = add_pupils(world.group, 6, period.start_date)
    for pupil in pupils:
        add_result(pupil, maths, period.start_date + datetime.timedelta(days=9), "230", "II")
    actions.add_missing_rows(filled.overview, teacher)
    for section in filled.sections.filter(area__part=PlanPart.SUBJECTS):
        plan_actions.accept_suggestions(section=section, by=teacher)
    plan_actions.place_individually(
        section=_section(filled, SubjectArea.MATHS), pupil_id=pupils[0].pk, by=teacher
    )
    with django_assert_num_queries(few):
        assert client.get(_url(kind, filled)).status_code == 200


# The print page ----------------------------------------------------------------------------


def test_the_print_page_reads_as_the_plan(world, filled, period, client_for):
    html = client_for("teacher").get(_url("print", filled)).content.decode()
    title = _nl("Group plan %(group)s") % {"group": "Groep 5"}
    assert f'{title}</span> — <span class="paper-period">{period}</span>' in html
    assert "De Regenboog" in html
    assert f"<td>{world.users['teacher'].full_name}</td>" in html
    assert capfirst(str(filled.get_status_display())) in html
    drawn_up = _nl("Drawn up by %(name)s on %(date)s").split("%(name)s")[0]
    assert f"{drawn_up}{world.users['teacher'].full_name}" in html
    for expected in (
        "Pluspunt, dagelijks 60 minuten",
        "Tafels 1 t/m 5 automatiseren",
        "Tempotoets tafels",
        "40 sommen in 2 minuten, 90% goed",
        "Tafels 1-5 en 10",
        "Verlengde instructie aan de instructietafel",
        "Vries",  # the pupils of the subgroup
        "Korte instructies werken het best",
        "Voetbal",
        "Let op de planning op maandag.",
        world.users["care_coordinator"].full_name,
    ):
        assert expected in html, expected
    # Organisation in one line: the days, the time with how long, by whom.
    monday, wednesday = (_nl(day) for day in ("Monday", "Wednesday"))
    assert (
        f"{capfirst(monday)} {_nl('and')} {wednesday} · 09:00\N{EN DASH}09:30 (30\xa0min.)" in html
    )
    assert _nl("by %(staff)s") % {"staff": "juf Anna"} in html


def test_empty_fields_are_left_out(world, filled, client_for):
    html = client_for("teacher").get(_url("print", filled)).content.decode()
    # The intensive group has no pedagogical goal and no materials; nobody has materials.
    assert f"<dt>{_label('goal_didactic')}</dt>" in html
    assert f"<dt>{_label('goal_pedagogic')}</dt>" not in html
    assert f"<dt>{_label('materials')}</dt>" not in html
    # Nor the subgroups nobody is in and nobody wrote anything for.
    assert f"<b>{capfirst(_nl('extension group'))}</b>" not in html
    assert f"<b>{capfirst(_nl('intensive group'))}</b>" in html


def test_pupils_not_yet_placed_are_named(world, plan, client_for):
    html = client_for("teacher").get(_url("print", plan)).content.decode()
    assert _nl("Not yet placed in a subgroup") in html
    assert "Sanne de Vries" in html


def test_pupils_who_left_are_marked(world, filled, period, client_for):
    Enrolment.objects.filter(pupil=world.pupil).update(
        end_date=period.start_date + datetime.timedelta(30)
    )
    html = client_for("teacher").get(_url("print", filled)).content.decode()
    left_on = _nl("left the group on %(date)s").split("%(date)s")[0].strip()
    assert left_on in html


def test_individual_placements_have_their_own_block(world, filled, client_for):
    maths = _section(filled, SubjectArea.MATHS)
    placement = plan_actions.place_individually(
        section=maths, pupil_id=world.pupil.pk, by=world.users["teacher"]
    )
    _save(placement.subgroup, goal_didactic="Optellen tot 100 met de rekenlijn")
    html = client_for("teacher").get(_url("print", filled)).content.decode()
    assert _nl("Individual placements") in html
    assert "Optellen tot 100 met de rekenlijn" in html
    assert capfirst(_nl("individual: %(pupil)s") % {"pupil": "Sanne de Vries"}) in html


def test_the_evaluation_shows_only_when_evaluated(world, filled, period, client_for):
    teacher = world.users["teacher"]
    client = client_for("teacher")
    assert f">{_nl('Evaluation')}</h2>" not in client.get(_url("print", filled)).content.decode()

    for section in filled.sections.filter(area__part=PlanPart.SUBJECTS):
        plan_actions.accept_suggestions(section=section, by=teacher)
    for subgroup in Subgroup.objects.filter(section__plan=filled):
        _save(
            subgroup,
            goal_didactic=subgroup.goal_didactic or "Een doel",
            goal_measure="toets",
            goal_criterion="80% goed",
            goal_date=period.end_date,
        )
    plan_actions.activate_plan(plan=filled, by=teacher)
    intensive = _section(filled, SubjectArea.MATHS).subgroups.get(kind=SubgroupKind.INTENSIVE)
    for subgroup in Subgroup.objects.filter(section__plan=filled, placements__isnull=False):
        _save(subgroup, outcome=Outcome.REACHED)
    _save(intensive, outcome=Outcome.PARTLY, helped="Dagelijks oefenen met Rekentuin")
    sanne = intensive.placements.get(pupil=world.pupil)
    plan_actions.save_versioned(
        obj=sanne,
        values={"outcome": Outcome.NOT_REACHED, "hindered": "Veel afwezig"},
        seen_version=sanne.version,
        by=teacher,
    )
    plan_actions.evaluate_plan(plan=filled, by=teacher)

    html = client.get(_url("print", filled)).content.decode()
    evaluation = html.split(f">{_nl('Evaluation')}</h2>")[1]
    assert _nl("partly reached") in evaluation
    assert "Dagelijks oefenen met Rekentuin" in evaluation
    # Sanne's own outcome differs from the group's: she is named with it.
    assert _nl("Pupils whose evaluation differs") in evaluation
    assert "Sanne de Vries" in evaluation and "Veel afwezig" in evaluation
    assert _nl("not reached") in evaluation
    evaluated_by = _nl("Evaluated by %(name)s on %(date)s").split("%(name)s")[0]
    assert f"{evaluated_by}{teacher.full_name}" in html


def test_typed_text_is_escaped(world, filled, client_for):
    maths = _section(filled, SubjectArea.MATHS)
    _save(maths, basic_offer="<script>alert(1)</script>")
    html = client_for("teacher").get(_url("print", filled)).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_print_page_links_back_to_the_plan(world, plan, client_for):
    html = client_for("teacher").get(_url("print", plan)).content.decode()
    assert f'href="{reverse("groupplans:plan_detail", kwargs={"pk": plan.pk})}"' in html
    assert f'href="{_url("pdf", plan)}"' in html
    assert f'href="{_url("week", plan)}"' in html


# The PDF -----------------------------------------------------------------------------------


def test_the_pdf_is_a4_landscape_with_its_page_furniture(world, filled, client_for, tmp_path):
    response = client_for("teacher").get(_url("pdf", filled))
    assert response.content.startswith(b"%PDF-")
    info = _pdf_info(response.content, tmp_path)
    width, height = (float(n) for n in re.findall(r"[\d.]+", info["Page size"])[:2])
    assert (round(width), round(height)) == (842, 595)
    pages = int(info["Pages"])
    text = _pdf_text(response.content, tmp_path)
    assert f"Pagina 1 van {pages}" in text
    assert f"Pagina {pages} van {pages}" in text
    # In every page's header.
    assert text.count("VERTROUWELIJK") == pages


def test_the_pdf_reads_as_the_plan(world, filled, period, client_for, tmp_path):
    text = _pdf_text(client_for("teacher").get(_url("pdf", filled)).content, tmp_path)
    first = text.split("\f")[0]
    assert "De Regenboog" in first
    assert f"{_nl('Group plan %(group)s') % {'group': 'Groep 5'}} — {period}" in first
    assert world.users["teacher"].full_name in first
    for expected in (
        "Pluspunt, dagelijks 60 minuten",
        "Tafels 1 t/m 5 automatiseren",
        "40 sommen in 2 minuten, 90% goed",
        "Sanne de Vries",
        "Korte instructies werken het best",
        "Let op de planning op maandag.",
    ):
        assert expected in text, expected
    # Part 1 comes before part 2, the comments last.
    assert text.index(_nl("Part 1")) < text.index(_nl("Part 2")) < text.index(_nl("Comments"))


def test_the_pdf_escapes_what_people_typed(world, filled, client_for, tmp_path):
    _save(_section(filled, SubjectArea.MATHS), basic_offer="<b>Pluspunt</b> & <i>")
    text = _pdf_text(client_for("teacher").get(_url("pdf", filled)).content, tmp_path)
    assert "<b>Pluspunt</b> & <i>" in text


def test_a_subgroup_taller_than_a_page_is_printed_whole(world, filled, client_for, tmp_path):
    intensive = _section(filled, SubjectArea.MATHS).subgroups.get(kind=SubgroupKind.INTENSIVE)
    _save(intensive, content="Oefenen met de tafels in de kring. " * 200 + "Einde van de inhoud.")
    text = _pdf_text(client_for("teacher").get(_url("pdf", filled)).content, tmp_path)
    assert "Einde van de inhoud." in text
    # Every sentence is there, but for those split by a page's margins.
    page_breaks = text.count("\f") - 1
    assert text.count("Oefenen met de tafels in de kring.") >= 200 - page_breaks


# The week ----------------------------------------------------------------------------------


def test_the_week_orders_each_day_by_time(world, filled, client_for):
    maths = _section(filled, SubjectArea.MATHS)
    reading = _section(filled, SubjectArea.TECHNICAL_READING)
    early = reading.subgroups.get(kind=SubgroupKind.INTENSIVE)
    _save(early, days="1", start_time=datetime.time(8, 30), minutes=20, staff="juf Anna")
    untimed = maths.subgroups.get(kind=SubgroupKind.EXTENSION)
    _save(untimed, days="1,5", content="Pittige Plustorens")
    response = client_for("teacher").get(_url("week", filled))
    days = response.context["days"]
    assert [label for label, _items in days] == [
        capfirst(_nl(day)) for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
    ]
    monday = [(item.area.pk, item.subgroup.kind, item.when) for item in days[0][1]]
    assert monday == [
        (reading.area.pk, SubgroupKind.INTENSIVE, "08:30\N{EN DASH}08:50 (20\xa0min.)"),
        (maths.area.pk, SubgroupKind.INTENSIVE, "09:00\N{EN DASH}09:30 (30\xa0min.)"),
        (maths.area.pk, SubgroupKind.EXTENSION, ""),
    ]
    assert [item.subgroup.kind for item in days[1][1]] == []
    assert [item.subgroup.kind for item in days[2][1]] == [SubgroupKind.INTENSIVE]
    assert [item.subgroup.kind for item in days[4][1]] == [SubgroupKind.EXTENSION]

    html = response.content.decode()
    monday_html = html.split('id="day-1"')[1].split('id="day-2"')[0]
    assert (
        monday_html.index("08:30")
        < monday_html.index("09:00")
        < monday_html.index(_nl("No time set"))
    )
    assert "Sanne de Vries" in monday_html
    assert "juf Anna" in monday_html
    assert "Verlengde instructie aan de instructietafel" in monday_html
    assert _nl("No pupils in this subgroup.") in monday_html
    assert _nl("No subgroup has instruction on this day.") in html.split('id="day-2"')[1]


def test_subgroups_with_pupils_but_no_days_are_not_scheduled(world, filled, period, client_for):
    reading = _section(filled, SubjectArea.TECHNICAL_READING)
    core = reading.subgroups.get(kind=SubgroupKind.CORE)
    plan_actions.place_pupil(
        section=reading, pupil_id=world.pupil.pk, subgroup=core, by=world.users["teacher"]
    )
    response = client_for("teacher").get(_url("week", filled))
    unscheduled = [
        (u.section.area.pk, u.subgroup.subgroup.kind) for u in response.context["unscheduled"]
    ]
    # The core reading group has Sanne and no days; the empty groups without days are not listed.
    assert unscheduled == [(reading.area.pk, SubgroupKind.CORE)]
    html = response.content.decode()
    not_scheduled = html.split(f">{_nl('Not scheduled')}</h2>")[1]
    assert reading.area.name in not_scheduled and "Sanne de Vries" in not_scheduled


def test_the_week_links_to_the_plan_and_its_paper(world, plan, client_for):
    html = client_for("teacher").get(_url("week", plan)).content.decode()
    for href in (
        reverse("groupplans:plan_detail", kwargs={"pk": plan.pk}),
        _url("print", plan),
        _url("pdf", plan),
    ):
        assert f'href="{href}"' in html
