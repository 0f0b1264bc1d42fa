"""The pupil log (logboek): the dossier tab, adding and editing notes, and the overview's query."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessLogPupil
from pupils.models import LogKind, PupilLogEntry
from tests.factories import PupilLogEntryFactory

pytestmark = pytest.mark.django_db


def _tab(pupil) -> str:
    return reverse("pupil_dossier_tab", args=[pupil.pk, "logboek"])


def _fields(**overrides) -> dict:
    return {
        "date": timezone.localdate().isoformat(),
        "kind": "parents",
        "participants": "moeder, leerkracht",
        "notes": "Moeder vertelt dat Sanne thuis moeilijk inslaapt.",
        "agreements": "Over zes weken opnieuw een gesprek.",
    } | overrides


def test_teacher_adds_a_note_and_it_shows_on_the_tab(world, client_for):
    client = client_for("teacher")
    response = client.post(reverse("pupils:log_add", args=[world.pupil.pk]), _fields())
    assert response.status_code == 302
    entry = PupilLogEntry.objects.get()
    assert response["Location"] == f"{_tab(world.pupil)}?notitie={entry.pk}#log-{entry.pk}"
    assert (entry.pupil, entry.author, entry.kind) == (
        world.pupil,
        world.users["teacher"],
        LogKind.PARENTS,
    )
    assert entry.version == 1
    assert entry.history.get().history_user == world.users["teacher"]

    page = client.get(_tab(world.pupil))
    assert page.status_code == 200
    body = page.content.decode()
    assert f'id="log-{entry.pk}"' in body
    assert "thuis moeilijk inslaapt" in body and "Over zes weken" in body
    assert "moeder, leerkracht" in body and world.users["teacher"].full_name in body
    assert reverse("pupils:log_edit", args=[world.pupil.pk, entry.pk]) in body
    assert AccessLogPupil.objects.filter(
        pupil_id=world.pupil.pk, entry__what="pupil_dossier_tab", entry__path=_tab(world.pupil)
    ).exists()


def test_the_add_form_starts_today(world, client_for):
    response = client_for("care_coordinator").get(reverse("pupils:log_add", args=[world.pupil.pk]))
    assert response.status_code == 200
    assert f'value="{timezone.localdate().isoformat()}"' in response.content.decode()


def test_director_reads_but_cannot_write(world, client_for):
    entry = PupilLogEntryFactory(pupil=world.pupil, author=world.users["teacher"])
    client = client_for("director")
    body = client.get(_tab(world.pupil)).content.decode()
    assert entry.notes in body
    assert reverse("pupils:log_add", args=[world.pupil.pk]) not in body
    assert reverse("pupils:log_edit", args=[world.pupil.pk, entry.pk]) not in body
    add = reverse("pupils:log_add", args=[world.pupil.pk])
    assert client.get(add).status_code == 404
    assert client.post(add, _fields()).status_code == 404
    edit = reverse("pupils:log_edit", args=[world.pupil.pk, entry.pk])
    assert client.get(edit).status_code == 404
    assert PupilLogEntry.objects.count() == 1


def test_other_teacher_gets_404_everywhere(world, client_for):
    entry = PupilLogEntryFactory(pupil=world.pupil, author=world.users["teacher"])
    client = client_for("other_teacher")
    for url in (
        _tab(world.pupil),
        reverse("pupils:pupil_log", args=[world.pupil.pk]),
        reverse("pupils:log_add", args=[world.pupil.pk]),
        reverse("pupils:log_edit", args=[world.pupil.pk, entry.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("pupils:log_add", args=[world.pupil.pk]), _fields()).status_code == (
        404
    )
    assert PupilLogEntry.objects.count() == 1


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"notes": "   "}, "notes"),
        ({"date": "2099-01-01"}, "date"),
        ({"date": "2001-01-01"}, "date"),  # before the pupil was born
        ({"kind": "gossip"}, "kind"),
    ],
)
def test_bad_input_is_explained_and_kept(world, client_for, fields, field):
    response = client_for("teacher").post(
        reverse("pupils:log_add", args=[world.pupil.pk]), _fields(**fields)
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {field}
    body = response.content.decode()
    assert 'value="moeder, leerkracht"' in body  # what was typed stays
    assert "Over zes weken opnieuw een gesprek." in body
    assert not PupilLogEntry.objects.exists()


def test_errors_are_in_dutch(world, client_for):
    response = client_for("teacher").post(
        reverse("pupils:log_add", args=[world.pupil.pk]), _fields(notes="")
    )
    assert "Dit veld is verplicht." in response.content.decode()


def test_a_note_is_edited_by_its_author_or_the_ib_only(world, client_for):
    by_ib = PupilLogEntryFactory(pupil=world.pupil, author=world.users["care_coordinator"])
    by_teacher = PupilLogEntryFactory(pupil=world.pupil, author=world.users["teacher"])
    teacher = client_for("teacher")
    others = reverse("pupils:log_edit", args=[world.pupil.pk, by_ib.pk])
    assert teacher.get(others).status_code == 404
    assert teacher.post(others, _fields(seen_version="1")).status_code == 404
    assert reverse("pupils:log_edit", args=[world.pupil.pk, by_teacher.pk]) in (
        teacher.get(_tab(world.pupil)).content.decode()
    )
    assert others not in teacher.get(_tab(world.pupil)).content.decode()

    ib = client_for("care_coordinator")
    own = reverse("pupils:log_edit", args=[world.pupil.pk, by_teacher.pk])
    response = ib.post(own, _fields(notes="Aangevuld door de IB.", seen_version="1"))
    assert response.status_code == 302
    by_teacher.refresh_from_db()
    assert (by_teacher.notes, by_teacher.version) == ("Aangevuld door de IB.", 2)
    assert by_teacher.author == world.users["teacher"]  # the author stays
    assert by_teacher.history.first().history_user == world.users["care_coordinator"]


def test_a_note_of_another_pupil_is_not_found_under_this_one(world, client_for):
    elsewhere = PupilLogEntryFactory(
        pupil=world.other_group_pupil, author=world.users["care_coordinator"]
    )
    url = reverse("pupils:log_edit", args=[world.pupil.pk, elsewhere.pk])
    assert client_for("care_coordinator").get(url).status_code == 404


def test_a_stale_save_is_refused_and_shows_both_versions(world, client_for):
    entry = PupilLogEntryFactory(pupil=world.pupil, author=world.users["teacher"])
    url = reverse("pupils:log_edit", args=[world.pupil.pk, entry.pk])
    seen = client_for("teacher").get(url).context["form"].initial["seen_version"]
    # Meanwhile the IB adds to the note.
    ib = client_for("care_coordinator")
    ib_seen = ib.get(url).context["form"].initial["seen_version"]
    ib.post(url, _fields(notes="Versie van de IB.", seen_version=ib_seen))
    entry.refresh_from_db()
    assert (entry.notes, entry.version) == ("Versie van de IB.", 2)

    teacher = client_for("teacher")
    response = teacher.post(url, _fields(notes="Versie van de leerkracht.", seen_version=seen))
    assert response.status_code == 200
    assert response.context["current"].notes == "Versie van de IB."
    body = response.content.decode()
    assert "Versie van de IB." in body and "Versie van de leerkracht." in body
    assert response.context["form"].non_field_errors()
    entry.refresh_from_db()
    assert entry.notes == "Versie van de IB."  # nothing overwritten silently

    again = response.context["form"].data["seen_version"]
    response = teacher.post(url, _fields(notes="Versie van de leerkracht.", seen_version=again))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.notes, entry.version) == ("Versie van de leerkracht.", 3)


def test_notes_are_escaped_with_their_line_breaks(world, client_for):
    PupilLogEntryFactory(
        pupil=world.pupil,
        author=world.users["teacher"],
        notes="<script>alert(1)</script>\nTweede regel",
        participants="<b>vader</b>",
    )
    body = client_for("teacher").get(_tab(world.pupil)).content.decode()
    assert "<script>alert(1)" not in body and "<b>vader" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>Tweede regel" in body


def test_the_tab_filters_by_kind_and_pages(world, client_for):
    today = timezone.localdate()
    oldest = PupilLogEntryFactory(
        pupil=world.pupil,
        author=world.users["teacher"],
        date=today - datetime.timedelta(days=100),
        notes="De oudste notitie.",
    )
    for days in range(24):
        PupilLogEntryFactory(
            pupil=world.pupil,
            author=world.users["teacher"],
            date=today - datetime.timedelta(days=days),
            kind=LogKind.PARENTS if days == 3 else LogKind.OBSERVATION,
        )
    client = client_for("teacher")
    first = client.get(_tab(world.pupil))
    assert len(first.context["page"].object_list) == 20
    assert "De oudste notitie." not in first.content.decode()
    assert "?page=2" in first.content.decode()

    parents = client.get(_tab(world.pupil), {"soort": "parents"})
    assert [e.kind for e in parents.context["page"].object_list] == [LogKind.PARENTS]
    assert parents.context["page"].paginator.num_pages == 1

    linked = client.get(oldest.get_absolute_url())
    assert linked.context["page"].number == 2
    assert f'id="log-{oldest.pk}"' in linked.content.decode()

    # Nonsense in the query string is ignored.
    odd = client.get(_tab(world.pupil), {"soort": "<x>", "notitie": "9" * 40, "page": "x"})
    assert odd.status_code == 200 and odd.context["page"].number == 1


def test_the_tab_runs_the_same_queries_for_3_or_30_notes(
    world, client_for, django_assert_num_queries
):
    def add(count):
        for n in range(count):
            # Each with an author of their own, so a lazy load of each author would show.
            PupilLogEntryFactory(
                pupil=world.pupil, date=timezone.localdate() - datetime.timedelta(days=n)
            )

    add(3)
    client = client_for("teacher")
    client.get(_tab(world.pupil))  # warm up (session, caches)
    with CaptureQueriesContext(connection) as few:
        assert client.get(_tab(world.pupil)).status_code == 200
    add(27)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(_tab(world.pupil))
    assert len(response.context["page"].object_list) == 20


def test_for_pupils_is_one_query_for_a_whole_group(world, django_assert_num_queries):
    today = timezone.localdate()
    day = datetime.timedelta(days=1)

    def note(pupil, date, kind=LogKind.OBSERVATION):
        return PupilLogEntryFactory(pupil=pupil, date=date, kind=kind)

    recent = note(world.pupil, today)
    older = note(world.other_group_pupil, today - 10 * day, LogKind.HANDOVER)
    too_old = note(world.pupil, today - 100 * day)
    note(world.other_school_pupil, today)  # not asked for
    ids = [world.pupil.pk, world.other_group_pupil.pk]
    with django_assert_num_queries(1):
        rows = list(PupilLogEntry.objects.for_pupils(ids, since=today - 30 * day))
        authors = [row.author.full_name for row in rows]
    assert rows == [recent, older]
    assert all(authors)
    assert list(PupilLogEntry.objects.for_pupils(ids, until=today - day)) == [older, too_old]
    # A queryset of pupils will do as well.
    pupils = world.group.enrolments.values("pupil_id")
    assert list(PupilLogEntry.objects.for_pupils(pupils)) == [recent, too_old]


def test_the_database_refuses_an_unknown_kind(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        PupilLogEntryFactory(pupil=world.pupil, kind="gossip")


def test_every_change_leaves_a_revision(world):
    entry = PupilLogEntryFactory(pupil=world.pupil)
    entry.notes = "Aangepast."
    entry.save_edit()
    assert [r.history_type for r in entry.history.order_by("history_date")] == ["+", "~"]
    assert entry.history.first().version == 2
