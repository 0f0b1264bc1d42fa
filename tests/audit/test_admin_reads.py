"""The Django admin is read-only for pupil data, and reading it there is logged too."""

from django.urls import reverse

from audit.models import AccessLogEntry


def test_admin_pupil_pages_are_read_only_and_logged(world, client_for):
    client = client_for("superuser")
    response = client.get(reverse("admin:pupils_pupil_changelist"))
    assert response.status_code == 200
    listed = AccessLogEntry.objects.get(what="admin:pupils_pupil_changelist")
    assert set(listed.pupils.values_list("pupil_id", flat=True)) == {
        world.pupil.pk,
        world.other_group_pupil.pk,
        world.other_school_pupil.pk,
    }
    response = client.get(reverse("admin:pupils_pupil_change", args=[world.pupil.pk]))
    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()
    detail = AccessLogEntry.objects.get(what="admin:pupils_pupil_change")
    assert list(detail.pupils.values_list("pupil_id", flat=True)) == [world.pupil.pk]
    assert client.get(reverse("admin:pupils_pupil_add")).status_code == 403
    response = client.post(
        reverse("admin:pupils_pupil_change", args=[world.pupil.pk]), {"given_name": "X"}
    )
    assert response.status_code == 403
    world.pupil.refresh_from_db()
    assert world.pupil.given_name == "Sanne"


def test_admin_guardians_are_logged_under_their_pupil(world, client_for):
    client_for("superuser").get(reverse("admin:pupils_guardian_changelist"))
    entry = AccessLogEntry.objects.get(what="admin:pupils_guardian_changelist")
    assert list(entry.pupils.values_list("pupil_id", flat=True)) == [world.pupil.pk]


def test_access_log_cannot_be_edited_in_the_admin(world, client_for):
    client = client_for("superuser")
    client.get(reverse("admin:pupils_pupil_changelist"))
    entry = AccessLogEntry.objects.first()
    response = client.post(
        reverse("admin:audit_accesslogentry_delete", args=[entry.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert AccessLogEntry.objects.filter(pk=entry.pk).exists()
