"""The shell every page shares: headers, language, navigation and the home page per role."""

import pytest
from django.urls import reverse


def test_pages_carry_a_strict_content_security_policy(world, client_for):
    response = client_for("teacher").get(reverse("home"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_pages_of_signed_in_people_are_never_cached(world, client_for):
    response = client_for("teacher").get(reverse("pupils:group_detail", args=[world.group.pk]))
    assert "no-store" in response["Cache-Control"]


def test_pages_have_no_inline_script_or_style(world, client_for):
    body = client_for("care_coordinator").get(reverse("home")).content.decode()
    assert "<script>" not in body and "<style" not in body and " style=" not in body


def test_interface_is_dutch_by_default_whatever_the_browser_says(world, client_for):
    client = client_for("teacher")
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en")
    assert response["Content-Language"] == "nl"
    assert "Mijn groepen" in response.content.decode()


def test_language_switch_turns_the_interface_english(world, client_for):
    client = client_for("teacher")
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    assert response.status_code == 302
    response = client.get(reverse("home"))
    assert response["Content-Language"] == "en"
    assert "My groups" in response.content.decode()


def test_language_switch_refuses_an_outside_next_url(world, client_for):
    client = client_for("teacher")
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


@pytest.mark.parametrize(
    "persona, present, absent",
    [
        ("teacher", ["Mijn groepen", "Groep 5"], ["Groep 6", "Alle groepen"]),
        (
            "care_coordinator",
            ["Alle groepen van de school", "Groep 5", "Groep 6"],
            ["Mijn groepen"],
        ),
        ("director", ["De school in een oogopslag"], ["Mijn groepen"]),
        ("other_school_ib", ["Groep 5 Kompas"], ["Groep 6"]),
        ("board", ["geen rol op een school"], ["Groep 5"]),
    ],
)
def test_home_per_role(world, client_for, persona, present, absent):
    body = client_for(persona).get(reverse("home")).content.decode()
    for text in present:
        assert text in body, text
    for text in absent:
        assert text not in body, text


def test_teacher_home_counts_pupils_in_own_group(world, client_for):
    response = client_for("teacher").get(reverse("home"))
    (group,) = response.context["my_groups"]
    assert group.pupil_count == 1


def test_navigation_shows_only_what_the_role_may_open(world, client_for):
    body = client_for("teacher").get(reverse("home")).content.decode()
    assert reverse("accounts:staff_list") not in body
    assert reverse("pupils:pupil_list") not in body
    body = client_for("school_admin").get(reverse("home")).content.decode()
    assert reverse("accounts:staff_list") in body


def test_health_answers_without_login(client, db):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.content == b"ok"


def test_an_ib_who_also_teaches_sees_their_own_groups_apart(world, client_for):
    from accounts.models import Role
    from tests import factories

    ib = world.users["care_coordinator"]
    factories.MembershipFactory(user=ib, school=world.school, role=Role.TEACHER)
    factories.AssignmentFactory(group=world.other_group, teacher=ib)
    response = client_for("care_coordinator").get(reverse("home"))
    assert list(response.context["my_groups"]) == [world.other_group]
    assert set(response.context["school_groups"]) == {world.group, world.other_group}
