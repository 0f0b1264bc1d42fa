"""Guardians entered by hand, and two people editing the same guardian."""

from django.urls import reverse

from pupils.models import Guardian


def _fields(**overrides):
    return {
        "name": "Kees de Vries",
        "relation": "father",
        "has_parental_authority": "on",
        "phone": "06-11112222",
        "email": "kees@example.nl",
    } | overrides


def test_school_admin_adds_a_guardian(world, client_for):
    client = client_for("school_admin")
    response = client.post(reverse("pupils:guardian_add", args=[world.pupil.pk]), _fields())
    assert response.status_code == 302
    kees = Guardian.objects.get(name="Kees de Vries")
    assert kees.pupil == world.pupil and kees.has_parental_authority
    assert kees.history.get().history_user == world.users["school_admin"]


def test_bad_input_is_explained_and_kept(world, client_for):
    response = client_for("care_coordinator").post(
        reverse("pupils:guardian_add", args=[world.pupil.pk]),
        _fields(email="geen adres", relation="oom"),
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"email", "relation"}
    assert 'value="Kees de Vries"' in response.content.decode()
    assert not Guardian.objects.filter(name="Kees de Vries").exists()


def test_a_stale_save_is_refused_and_shows_both_versions(world, client_for):
    anna = world.pupil.guardians.get()
    url = reverse("pupils:guardian_edit", args=[world.pupil.pk, anna.pk])
    first, second = client_for("school_admin"), None
    seen = first.get(url).context["form"].initial["seen_state"]
    # Meanwhile the IB changes the phone number.
    second = client_for("care_coordinator")
    other_seen = second.get(url).context["form"].initial["seen_state"]
    second.post(
        url,
        _fields(
            name="Anna de Vries", relation="mother", phone="06-99990000", seen_state=other_seen
        ),
    )
    anna.refresh_from_db()
    assert anna.phone == "06-99990000"

    first = client_for("school_admin")
    response = first.post(
        url, _fields(name="Anna de Vries", relation="mother", phone="06-12121212", seen_state=seen)
    )
    assert response.status_code == 200
    assert response.context["current"].phone == "06-99990000"
    body = response.content.decode()
    assert "06-12121212" in body and "06-99990000" in body  # both versions on screen
    anna.refresh_from_db()
    assert anna.phone == "06-99990000"  # nothing overwritten silently
    # Saving again, having seen the other version, keeps this person's choice.
    again = response.context["form"].data["seen_state"]
    response = first.post(
        url, _fields(name="Anna de Vries", relation="mother", phone="06-12121212", seen_state=again)
    )
    assert response.status_code == 302
    anna.refresh_from_db()
    assert anna.phone == "06-12121212"


def test_teacher_cannot_edit_guardians(world, client_for):
    url = reverse("pupils:guardian_add", args=[world.pupil.pk])
    assert client_for("teacher").post(url, _fields()).status_code == 404
