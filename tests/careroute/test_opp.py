"""The development perspective (OPP): pre-filled factors side by side, versioned saves, the
parents' agreement to the support and the yearly evaluations; kept by the IB."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from careroute import ihp as actions
from careroute import opp as opp_actions
from careroute.models import OPP
from tests.careroute.ihp_helpers import ib, nl, overview_row, ready_ihp
from tests.careroute.test_ihp import _pdf_text


@pytest.fixture(autouse=True)
def _english():
    """The rules' messages in English (pages are checked against `nl`, which works before
    and after the translations are merged)."""
    with translation.override("en"):
        yield


def _detail(opp):
    return reverse("careroute:opp_detail", args=[opp.pk])


def test_the_factors_come_from_the_overview_and_the_support_from_the_latest_ihp(world):
    overview_row(world, stimulating="Gemotiveerd", hindering="Faalangst")
    ready_ihp(world)
    opp = opp_actions.create_opp(pupil=world.pupil, by=ib(world))
    assert "Gemotiveerd" in opp.stimulating
    assert "Faalangst" in opp.hindering
    assert "Dagelijks tien minuten tafels oefenen." in opp.support


def test_a_save_needs_the_exit_level_and_its_rationale(world):
    opp = opp_actions.create_opp(pupil=world.pupil, by=ib(world))
    with pytest.raises(ValidationError) as refused:
        opp_actions.save_opp(
            opp=opp, values={"exit_level": "", "rationale": ""}, seen_version=1, by=ib(world)
        )
    assert len(refused.value.messages) == 2
    saved = opp_actions.save_opp(
        opp=opp,
        values={"exit_level": "VMBO-BB", "rationale": "Groei van een half jaar per jaar"},
        seen_version=1,
        by=ib(world),
    )
    assert saved.version == 2 and saved.exit_level == "VMBO-BB"


def test_a_stale_save_is_refused(world):
    opp = opp_actions.create_opp(pupil=world.pupil, by=ib(world))
    values = {"exit_level": "1F", "rationale": "x"}
    opp_actions.save_opp(opp=opp, values=values, seen_version=1, by=ib(world))
    with pytest.raises(actions.StaleIHP):
        opp_actions.save_opp(
            opp=opp, values=values | {"rationale": "y"}, seen_version=1, by=ib(world)
        )


def test_the_parents_agree_to_the_support_with_date_and_how(world):
    opp = opp_actions.create_opp(pupil=world.pupil, by=ib(world))
    with pytest.raises(ValidationError, match="support"):
        opp_actions.record_agreement(
            opp=opp, on=timezone.localdate(), how="Gesprek", seen_version=1, by=ib(world)
        )
    opp = opp_actions.save_opp(
        opp=opp,
        values={"exit_level": "1F", "rationale": "x", "support": "Eigen leerlijn rekenen"},
        seen_version=1,
        by=ib(world),
    )
    opp = opp_actions.record_agreement(
        opp=opp,
        on=timezone.localdate(),
        how="In een gesprek met beide ouders",
        seen_version=opp.version,
        by=ib(world),
    )
    assert opp.parents_agreed_on == timezone.localdate()
    assert opp.parents_agreement_note == "In een gesprek met beide ouders"


def test_a_yearly_evaluation_with_the_parents(world):
    opp = opp_actions.create_opp(pupil=world.pupil, by=ib(world))
    with pytest.raises(ValidationError):
        opp_actions.add_evaluation(opp=opp, on=timezone.localdate(), notes=" ", by=ib(world))
    with pytest.raises(ValidationError):
        opp_actions.add_evaluation(
            opp=opp,
            on=timezone.localdate() + datetime.timedelta(days=1),
            notes="x",
            by=ib(world),
        )
    evaluation = opp_actions.add_evaluation(
        opp=opp, on=timezone.localdate(), notes="Op koers", by=ib(world)
    )
    assert evaluation.with_parents and evaluation.notes == "Op koers"


# Pages -------------------------------------------------------------------------------------


def test_the_ib_makes_one_from_the_tab_and_the_page_shows_the_factors_side_by_side(
    world, client_for
):
    overview_row(world, stimulating="Gemotiveerd", hindering="Faalangst")
    client = client_for("care_coordinator")
    response = client.post(reverse("careroute:opp_create", args=[world.pupil.pk]))
    opp = OPP.objects.get()
    assert response["Location"] == _detail(opp)
    page = client.get(_detail(opp)).content.decode()
    assert "Faalangst" in page and "Gemotiveerd" in page and "col-md-6" in page


def test_a_stale_page_save_shows_both_versions(world, client_for):
    opp = opp_actions.create_opp(pupil=world.pupil, by=ib(world))
    client = client_for("care_coordinator")
    base = {"exit_level": "1F", "rationale": "x", "version": 1}
    assert client.post(_detail(opp), base | {"support": "Eerste versie"}).status_code == 302
    response = client.post(_detail(opp), base | {"support": "Tweede versie"})
    page = response.content.decode()
    assert response.status_code == 409
    assert "Eerste versie" in page and "Tweede versie" in page


def test_an_empty_exit_level_keeps_the_typed_text(world, client_for):
    opp = opp_actions.create_opp(pupil=world.pupil, by=ib(world))
    response = client_for("care_coordinator").post(
        _detail(opp), {"exit_level": "", "rationale": "Mijn onderbouwing", "version": 1}
    )
    assert response.status_code == 422 and "Mijn onderbouwing" in response.content.decode()


def test_the_pdf(world, client_for, tmp_path):
    opp = opp_actions.create_opp(pupil=world.pupil, by=ib(world))
    opp_actions.save_opp(
        opp=opp,
        values={"exit_level": "VMBO-BB", "rationale": "Groei", "support": "Eigen leerlijn"},
        seen_version=1,
        by=ib(world),
    )
    response = client_for("director").get(reverse("careroute:opp_pdf", args=[opp.pk]))
    assert response.status_code == 200 and "Vries" not in response["Content-Disposition"]
    text = _pdf_text(response.content, tmp_path)
    assert "VMBO-BB" in text and "Eigen leerlijn" in text and "Sanne de Vries" in text


def test_the_teacher_and_director_read_only_others_get_a_404(world, client_for):
    opp = opp_actions.create_opp(pupil=world.pupil, by=ib(world))
    for persona in ("teacher", "director"):
        client = client_for(persona)
        page = client.get(_detail(opp))
        assert page.status_code == 200 and nl("Save the OPP") not in page.content.decode()
        assert client.post(_detail(opp), {"exit_level": "x", "version": 1}).status_code == 404
    for persona in ("other_teacher", "other_school_ib", "school_admin"):
        assert client_for(persona).get(_detail(opp)).status_code == 404, persona
