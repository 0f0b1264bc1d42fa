import datetime

import pytest
from django.urls import reverse

from audit.models import AccessLogEntry, AccessLogPupil
from tests import factories


def test_group_page_sorts_dutch_names_by_family_name(world, client_for):
    for given, prefix, family in [("Aaron", "van der", "Zwan"), ("Bram", "", "Aalders")]:
        pupil = factories.PupilFactory(
            school=world.school, given_name=given, name_prefix=prefix, family_name=family
        )
        factories.EnrolmentFactory(pupil=pupil, group=world.group)
    response = client_for("teacher").get(reverse("pupils:group_detail", args=[world.group.pk]))
    names = [p.sort_name for p in response.context["pupils"]]
    # "de Vries" sorts under V, "van der Zwan" under Z.
    assert names == ["Aalders, Bram", "Vries, Sanne de", "Zwan, Aaron van der"]
    response = client_for("teacher").get(
        reverse("pupils:group_detail", args=[world.group.pk]), {"sort": "-name"}
    )
    assert [p.sort_name for p in response.context["pupils"]] == list(reversed(names))


def test_group_page_ignores_an_unknown_sort_key(world, client_for):
    url = reverse("pupils:group_detail", args=[world.group.pk])
    response = client_for("teacher").get(url, {"sort": "family_name; drop table"})
    assert response.status_code == 200
    assert response.context["sort"] == "name"


def test_group_page_shows_only_pupils_enrolled_today(world, client_for):
    left = factories.PupilFactory(school=world.school, given_name="Lotte", family_name="Weg")
    factories.EnrolmentFactory(
        pupil=left,
        group=world.group,
        start_date=datetime.date(2020, 8, 1),
        end_date=datetime.date(2021, 8, 1),
    )
    response = client_for("teacher").get(reverse("pupils:group_detail", args=[world.group.pk]))
    assert list(response.context["pupils"]) == [world.pupil]


def test_group_list_never_lists_another_schools_groups(world, client_for):
    response = client_for("care_coordinator").get(reverse("pupils:group_list"))
    groups = list(response.context["page"])
    assert world.group in groups and world.other_group in groups
    assert world.other_school_group not in groups


def test_teacher_group_list_holds_only_own_groups(world, client_for):
    response = client_for("teacher").get(reverse("pupils:group_list"))
    assert list(response.context["page"]) == [world.group]


def test_pupil_search_is_by_post_and_stays_within_the_school(world, client_for):
    client = client_for("care_coordinator")
    response = client.post(reverse("pupils:pupil_list"), {"q": "Smit"})
    assert response.status_code == 200
    assert response.context["rows"] == []  # Emma Smit is at the other school
    response = client.post(reverse("pupils:pupil_list"), {"q": "sanne vries"})
    assert response.context["rows"] == [world.pupil]
    assert response.context["rows"][0].current_group == world.group


def test_pupil_list_is_paginated_with_a_fixed_number_of_queries(
    world, client_for, django_assert_max_num_queries
):
    client = client_for("care_coordinator")
    client.get(reverse("pupils:pupil_list"))  # warm the session and caches
    # A budget for the page itself (session, user, school, roles, the page's own queries);
    # the point of the test is that it does not grow with the number of pupils.
    with django_assert_max_num_queries(16) as few:
        client.get(reverse("pupils:pupil_list"))
    for n in range(60):
        pupil = factories.PupilFactory(school=world.school, family_name=f"Extra{n:02d}")
        factories.EnrolmentFactory(pupil=pupil, group=world.other_group)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("pupils:pupil_list"))
    assert len(response.context["rows"]) == 50
    assert response.context["page"].paginator.num_pages == 2


def test_group_page_query_count_does_not_grow_with_pupils(
    world, client_for, django_assert_max_num_queries
):
    client = client_for("teacher")
    url = reverse("pupils:group_detail", args=[world.group.pk])
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for n in range(25):
        pupil = factories.PupilFactory(school=world.school, family_name=f"Extra{n:02d}")
        factories.EnrolmentFactory(pupil=pupil, group=world.group)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["pupils"]) == 26


def test_reading_a_pupil_leaves_an_access_log_entry(world, client_for):
    client = client_for("director")
    client.get(reverse("pupil_dossier_tab", args=[world.pupil.pk, "gegevens"]))
    entry = AccessLogEntry.objects.get()
    assert entry.user == world.users["director"]
    assert entry.school == world.school
    assert entry.what == "pupil_dossier_tab"
    assert entry.ip_address == "127.0.0.1"
    assert list(entry.pupils.values_list("pupil_id", flat=True)) == [world.pupil.pk]


def test_behind_a_proxy_the_access_log_keeps_the_address_the_proxy_saw(world, client_for, settings):
    url = reverse("pupil_dossier_tab", args=[world.pupil.pk, "gegevens"])
    client = client_for("director")
    settings.TRUSTED_PROXY_COUNT = 1
    # The client forged the first entry; the proxy appended the address it saw.
    client.get(url, HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.23")
    assert AccessLogEntry.objects.latest("pk").ip_address == "198.51.100.23"
    # Without a trusted proxy the header is ignored.
    settings.TRUSTED_PROXY_COUNT = 0
    client.get(url, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert AccessLogEntry.objects.latest("pk").ip_address == "127.0.0.1"


def test_a_list_page_is_one_entry_naming_every_pupil_shown(world, client_for):
    client_for("care_coordinator").get(reverse("pupils:group_detail", args=[world.group.pk]))
    entry = AccessLogEntry.objects.get()
    assert set(entry.pupils.values_list("pupil_id", flat=True)) == {world.pupil.pk}


def test_a_denied_request_leaves_no_access_log_entry(world, client_for):
    response = client_for("other_teacher").get(
        reverse("pupil_dossier_tab", args=[world.pupil.pk, "gegevens"])
    )
    assert response.status_code == 404
    assert not AccessLogPupil.objects.exists()


def test_pupil_search_terms_stay_out_of_the_access_log(world, client_for):
    client_for("care_coordinator").post(reverse("pupils:pupil_list"), {"q": "Vries"})
    entry = AccessLogEntry.objects.get()
    assert "Vries" not in entry.path


# The learning tabs every reader of learning data has; the sensitive ones are the IB's, and a
# teacher also has the diagnostics tab (it shows what the IB shared with them).
LEARNING_TABS = ["gegevens", "toetsen", "logboek", "plannen", "besprekingen", "route", "ihp"]
TABS_OF = {
    "school_admin": ["gegevens"],
    "director": LEARNING_TABS,
    "teacher": [*LEARNING_TABS, "onderzoek"],
    "care_coordinator": [*LEARNING_TABS, "onderzoek", "documenten"],
}


@pytest.mark.parametrize("persona", sorted(TABS_OF))
def test_dossier_shows_the_tabs_of_the_persona(world, client_for, persona):
    response = client_for(persona).get(reverse("pupil_dossier", args=[world.pupil.pk]), follow=True)
    assert response.status_code == 200
    assert [t.slug for t in response.context["tabs"]] == TABS_OF[persona]
    assert "Anna de Vries" in response.content.decode()


def test_dossier_with_unknown_tab_is_404(world, client_for):
    response = client_for("care_coordinator").get(
        reverse("pupil_dossier_tab", args=[world.pupil.pk, "onbekend"])
    )
    assert response.status_code == 404


def test_dossier_lists_only_tabs_whose_view_exists():
    from hgw.access import Category
    from hgw.dossier import TABS, available_tabs

    assert [t.slug for t in TABS][:3] == ["gegevens", "toetsen", "logboek"]
    assert [t.slug for t in available_tabs(frozenset(Category))] == TABS_OF["care_coordinator"]
    assert [t.slug for t in available_tabs(frozenset({Category.BASIC}))] == ["gegevens"]
    assert available_tabs(frozenset()) == []
