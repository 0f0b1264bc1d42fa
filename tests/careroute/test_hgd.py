"""Diagnostics (HGD): the IB requests it from level 2 on, uploads the expert's report (a PDF,
with the parents' consent), writes the recommendations and educational needs, puts the needs
on the pupil's group overview and shares the recommendations with the teacher."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from careroute import hgd as actions
from careroute.models import CareRoute, Consent, HGDRequest, HGDStatus
from groupplans.models import OverviewRow
from tests import pdfs

PDF = pdfs.plain()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _at_level(pupil, level=2):
    CareRoute.objects.update_or_create(
        pupil=pupil, defaults={"school_id": pupil.school_id, "level": level}
    )


def _request(world, **extra) -> HGDRequest:
    _at_level(world.pupil)
    return actions.request_hgd(
        pupil=world.pupil,
        question="Waarom leest Sanne zo traag?",
        expert_name="Drs. P. Jansen",
        expert_discipline="orthopedagoog",
        by=world.users["care_coordinator"],
        **extra,
    )


def _consent(world, hgd, decision="given"):
    return Consent.objects.create(
        pupil=world.pupil,
        guardian=world.pupil.guardians.get(),
        purpose="hgd",
        hgd_request=hgd,
        decision=decision,
        decided_on=timezone.localdate(),
        how="conversation",
        recorded_by=world.users["care_coordinator"],
    )


def _pdf(content=PDF, name="verslag.pdf"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _reported(world) -> HGDRequest:
    hgd = _request(world)
    _consent(world, hgd)
    hgd = actions.upload_report(request=hgd, file=_pdf(), by=world.users["care_coordinator"])
    return actions.save_recommendations(
        request=hgd,
        recommendations="Korte instructie met voorbeelden.",
        educational_needs="Sanne heeft behoefte aan extra leestijd.",
        seen_version=hgd.version,
        by=world.users["care_coordinator"],
    )


def _current_row(world) -> OverviewRow:
    """The pupil's row in the overview of the period running today."""
    from groupplans import actions as overview_actions
    from schools.actions import ensure_default_periods

    periods = ensure_default_periods(school=world.school, school_year=world.group.school_year)
    today = timezone.localdate()
    period = next(p for p in periods if p.start_date <= today <= p.end_date)
    overview = overview_actions.create_overview(
        group=world.group, period=period, by=world.users["teacher"]
    )
    return overview.rows.get(pupil=world.pupil)


# --- Requesting -----------------------------------------------------------------------------


def test_request_is_refused_below_level_two(world):
    with translation.override("en"), pytest.raises(ValidationError, match="level 2"):
        actions.request_hgd(
            pupil=world.pupil,
            question="Vraag",
            expert_name="Expert",
            by=world.users["care_coordinator"],
        )
    assert not HGDRequest.objects.exists()


def test_request_page_refuses_below_level_two_with_a_message(world, client_for):
    client = client_for("care_coordinator")
    url = reverse("careroute:hgd_create", args=[world.pupil.pk])
    response = client.post(url, {"question": "Vraag", "expert_name": "Expert"})
    assert response.status_code == 422
    assert "level 2" in response.content.decode() or "niveau 2" in response.content.decode()
    assert 'value="Expert"' in response.content.decode()
    assert not HGDRequest.objects.exists()


def test_ib_requests_diagnostics_at_level_two(world, client_for):
    _at_level(world.pupil)
    client = client_for("care_coordinator")
    url = reverse("careroute:hgd_create", args=[world.pupil.pk])
    response = client.post(
        url, {"question": "Waarom?", "expert_name": "Drs. Jansen", "expert_discipline": "GZ"}
    )
    hgd = HGDRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("careroute:hgd_detail", args=[hgd.pk])
    assert hgd.status == HGDStatus.REQUESTED
    assert hgd.created_by == world.users["care_coordinator"]


def test_teacher_cannot_request(world, client_for):
    _at_level(world.pupil)
    response = client_for("teacher").get(reverse("careroute:hgd_create", args=[world.pupil.pk]))
    assert response.status_code == 404


# --- The report -----------------------------------------------------------------------------


def _upload(client, hgd, file):
    return client.post(reverse("careroute:hgd_upload", args=[hgd.pk]), {"report": file})


def test_upload_refused_without_standing_consent(world, client_for):
    hgd = _request(world)
    response = _upload(client_for("care_coordinator"), hgd, _pdf())
    assert response.status_code == 422
    body = response.content.decode()
    assert "Anna de Vries" in body  # who has not decided yet
    hgd.refresh_from_db()
    assert not hgd.report and hgd.status == HGDStatus.REQUESTED


def test_upload_refused_after_a_refusal(world):
    hgd = _request(world)
    _consent(world, hgd, decision="refused")
    with pytest.raises(ValidationError) as refused:
        actions.upload_report(request=hgd, file=_pdf(), by=world.users["care_coordinator"])
    assert any("Anna de Vries" in m for m in refused.value.messages)


def test_consent_for_another_request_does_not_count(world):
    first = _request(world)
    _consent(world, first)
    second = _request(world)
    with pytest.raises(ValidationError):
        actions.upload_report(request=second, file=_pdf(), by=world.users["care_coordinator"])


def test_upload_refuses_a_file_that_is_not_a_pdf(world, client_for, settings):
    hgd = _request(world)
    _consent(world, hgd)
    fake = _pdf(b"<html><script>alert(1)</script></html>", name="verslag.pdf")
    response = _upload(client_for("care_coordinator"), hgd, fake)
    assert response.status_code == 422
    assert "PDF" in response.content.decode()
    hgd.refresh_from_db()
    assert not hgd.report
    assert not (settings.MEDIA_ROOT / "hgd").exists()


@pytest.mark.parametrize("kind", sorted(pdfs.HOSTILE))
def test_uploading_a_report_that_is_not_a_plain_pdf_is_refused_saying_why(
    kind, world, client_for, settings
):
    build, words = pdfs.HOSTILE[kind]
    hgd = _request(world)
    _consent(world, hgd)
    response = _upload(client_for("care_coordinator"), hgd, _pdf(build()))
    assert response.status_code == 422
    assert words in response.content.decode()
    hgd.refresh_from_db()
    assert not hgd.report
    assert not (settings.MEDIA_ROOT / "hgd").exists()


def test_upload_refuses_a_file_that_is_too_large(world, client_for, settings):
    settings.HGD_REPORT_MAX_BYTES = 1024
    hgd = _request(world)
    _consent(world, hgd)
    response = _upload(client_for("care_coordinator"), hgd, _pdf(PDF + b"0" * 2048))
    assert response.status_code == 422
    assert "MB" in response.content.decode()
    hgd.refresh_from_db()
    assert not hgd.report


def test_upload_without_a_file_says_so(world, client_for):
    hgd = _request(world)
    _consent(world, hgd)
    response = client_for("care_coordinator").post(reverse("careroute:hgd_upload", args=[hgd.pk]))
    assert response.status_code == 422
    hgd.refresh_from_db()
    assert not hgd.report


def test_upload_stores_the_report_outside_the_static_root(world, client_for, settings):
    hgd = _request(world)
    _consent(world, hgd)
    response = _upload(client_for("care_coordinator"), hgd, _pdf(name="Sanne de Vries.pdf"))
    assert response.status_code == 302
    hgd.refresh_from_db()
    assert hgd.status == HGDStatus.REPORTED
    assert hgd.report_uploaded_at is not None
    path = settings.MEDIA_ROOT / hgd.report.name
    assert path.read_bytes() == PDF
    assert not str(path).startswith(str(settings.STATIC_ROOT))
    assert "Vries" not in hgd.report.name and "Sanne" not in hgd.report.name
    # Nothing serves the media folder by URL: only the access-checked view.
    assert not settings.MEDIA_URL or settings.MEDIA_URL == "/"
    assert client_for("care_coordinator").get(f"/media/{hgd.report.name}").status_code == 404
    assert client_for("care_coordinator").get(f"/{hgd.report.name}").status_code == 404


# --- Who sees what --------------------------------------------------------------------------


def test_ib_downloads_the_report(world, client_for):
    hgd = _reported(world)
    response = client_for("care_coordinator").get(reverse("careroute:hgd_report", args=[hgd.pk]))
    assert response.status_code == 200
    assert response.content == PDF
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert "Vries" not in disposition and "Sanne" not in disposition
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"


def test_the_download_is_in_the_access_log(world, client_for):
    from audit.models import AccessLogPupil

    hgd = _reported(world)
    client_for("care_coordinator").get(reverse("careroute:hgd_report", args=[hgd.pk]))
    assert AccessLogPupil.objects.filter(pupil_id=world.pupil.pk).exists()


def test_teacher_sees_nothing_until_shared(world, client_for):
    hgd = _reported(world)
    client = client_for("teacher")
    assert client.get(reverse("careroute:hgd_detail", args=[hgd.pk])).status_code == 404
    assert client.get(reverse("careroute:hgd_report", args=[hgd.pk])).status_code == 404
    tab = client.get(reverse("careroute:pupil_hgd", args=[world.pupil.pk]))
    assert tab.status_code == 200
    assert "Korte instructie" not in tab.content.decode()
    assert "traag" not in tab.content.decode()


def test_teacher_sees_the_recommendations_once_shared_but_not_the_file(world, client_for):
    hgd = _reported(world)
    ib = world.users["care_coordinator"]
    response = client_for("care_coordinator").post(reverse("careroute:hgd_share", args=[hgd.pk]))
    assert response.status_code == 302
    hgd.refresh_from_db()
    assert hgd.shared_by == ib and hgd.shared_at is not None

    client = client_for("teacher")
    page = client.get(reverse("careroute:hgd_detail", args=[hgd.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Korte instructie met voorbeelden." in body
    assert "extra leestijd" in body
    assert reverse("careroute:hgd_report", args=[hgd.pk]) not in body
    assert 'name="question"' not in body and 'name="report"' not in body
    assert client.get(reverse("careroute:hgd_report", args=[hgd.pk])).status_code == 404
    assert client.post(reverse("careroute:hgd_share", args=[hgd.pk])).status_code == 404
    tab = client.get(reverse("careroute:pupil_hgd", args=[world.pupil.pk]))
    assert "Drs. P. Jansen" in tab.content.decode()


@pytest.mark.parametrize(
    "persona", ["director", "other_teacher", "other_school_ib", "school_admin"]
)
def test_others_get_404_even_when_shared(world, client_for, persona):
    hgd = _reported(world)
    actions.share_recommendations(request=hgd, by=world.users["care_coordinator"])
    client = client_for(persona)
    for name in ("hgd_detail", "hgd_report"):
        assert client.get(reverse(f"careroute:{name}", args=[hgd.pk])).status_code == 404
    assert client.get(reverse("careroute:pupil_hgd", args=[world.pupil.pk])).status_code == 404


def test_the_tab_shows_consent_problems_and_where_to_record_consent(world, client_for):
    _request(world)
    body = (
        client_for("care_coordinator")
        .get(reverse("careroute:pupil_hgd", args=[world.pupil.pk]))
        .content.decode()
    )
    assert "Anna de Vries" in body
    assert "Drs. P. Jansen" in body


# --- Recommendations and educational needs --------------------------------------------------


def test_a_stale_save_of_the_recommendations_shows_both_versions(world, client_for):
    hgd = _reported(world)
    url = reverse("careroute:hgd_recommendations", args=[hgd.pk])
    seen = hgd.version
    actions.save_recommendations(
        request=hgd,
        recommendations="Advies van de collega",
        educational_needs=hgd.educational_needs,
        seen_version=seen,
        by=world.users["care_coordinator"],
    )
    response = client_for("care_coordinator").post(
        url,
        {"recommendations": "Mijn advies", "educational_needs": "Rust", "version": seen},
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "Advies van de collega" in body and "Mijn advies" in body
    hgd.refresh_from_db()
    assert hgd.recommendations == "Advies van de collega"


def test_a_stale_save_of_the_request_is_refused(world):
    hgd = _request(world)
    ib = world.users["care_coordinator"]
    actions.save_hgd_request(request=hgd, values={"question": "Nieuw"}, seen_version=1, by=ib)
    with pytest.raises(actions.StaleRequest):
        actions.save_hgd_request(request=hgd, values={"question": "Ander"}, seen_version=1, by=ib)
    hgd.refresh_from_db()
    assert hgd.question == "Nieuw"


def test_translate_into_needs_writes_a_new_version_of_the_overview_row(world, client_for):
    row = _current_row(world)
    row.specific_needs = "Verlengde instructie rekenen"
    row.save()
    before = row.version
    hgd = _reported(world)
    response = client_for("care_coordinator").post(
        reverse("careroute:hgd_translate", args=[hgd.pk])
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.version == before + 1
    lines = row.specific_needs.splitlines()
    assert lines[0] == "Verlengde instructie rekenen"
    assert lines[1].startswith("Sanne heeft behoefte aan extra leestijd. (HGD ")
    assert row.updated_by == world.users["care_coordinator"]
    # Once is enough: a second press changes nothing.
    with pytest.raises(ValidationError):
        actions.translate_to_needs(request=hgd, by=world.users["care_coordinator"])


def test_translate_without_a_current_row_refuses_politely(world, client_for):
    hgd = _reported(world)
    response = client_for("care_coordinator").post(
        reverse("careroute:hgd_translate", args=[hgd.pk]), follow=True
    )
    assert response.status_code == 200
    assert not OverviewRow.objects.filter(pupil=world.pupil).exists()
    hgd.refresh_from_db()
    assert hgd.educational_needs == "Sanne heeft behoefte aan extra leestijd."
    messages = [str(m) for m in response.context["messages"]]
    assert any("stay on this request" in m or "blijven" in m for m in messages)


def test_translate_into_a_discussed_overview_is_refused(world):
    from groupplans.models import OverviewStatus

    row = _current_row(world)
    row.overview.status = OverviewStatus.DISCUSSED
    row.overview.save()
    hgd = _reported(world)
    with pytest.raises(actions.NoCurrentRow):
        actions.translate_to_needs(request=hgd, by=world.users["care_coordinator"])


def test_recommendations_wait_for_the_report(world):
    hgd = _request(world)
    with pytest.raises(ValidationError):
        actions.save_recommendations(
            request=hgd,
            recommendations="x",
            educational_needs="y",
            seen_version=hgd.version,
            by=world.users["care_coordinator"],
        )


def test_the_tab_takes_the_same_number_of_queries_for_one_or_several_requests(world, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("care_coordinator")
    url = reverse("careroute:pupil_hgd", args=[world.pupil.pk])
    _consent(world, _request(world))
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    _consent(world, _request(world), decision="refused")
    _request(world)
    with CaptureQueriesContext(connection) as three:
        body = client.get(url).content.decode()
    assert len(three) == len(one)
    # Each row still says what keeps its consent from standing.
    assert "Anna de Vries heeft geweigerd." in body
