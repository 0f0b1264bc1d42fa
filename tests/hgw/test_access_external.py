"""The access matrix for the care team's external member, with and without consent: the
pupil-data URLs of a pupil with an open care-team case, walked before and after the parents
withdraw their consent (and after the case closes)."""

import pytest
from django.urls import reverse

from careroute import cases
from meetings import actions
from tests.careroute import care_team


@pytest.fixture
def setting(world):
    case, meeting, item = care_team.consented_case_on_agenda(world, offset=60)
    earlier = care_team.care_team_meeting(world, offset=20, attend=False)
    selected = actions.add_care_team_item(
        meeting=earlier, pupil=world.pupil, documents=[], by=care_team.ib(world)
    )
    care_team.sign_off(world, earlier)
    cases.select_document(
        registration=case.registration, kind="meeting_item", pk=selected.pk, by=care_team.ib(world)
    )
    return case, meeting, item, selected


def _walk(world, item, selected) -> dict[str, str]:
    pupil = world.pupil.pk
    return {
        "item_detail (attended meeting)": reverse("meetings:item_detail", args=[item.pk]),
        "item_detail (selected document)": reverse("meetings:item_detail", args=[selected.pk]),
        "item_report (selected document)": reverse("meetings:item_report", args=[selected.pk]),
        "pupil_documents": reverse("careroute:pupil_documents", args=[pupil]),
        "pupil_dossier": reverse("pupil_dossier", args=[pupil]),
        "pupil_dossier_tab documenten": reverse("pupil_dossier_tab", args=[pupil, "documenten"]),
        "pupils:pupil_basic": reverse("pupils:pupil_basic", args=[pupil]),
        "meetings:pupil_meetings": reverse("meetings:pupil_meetings", args=[pupil]),
    }


# With consent: what the member may open (everything else stays 404: no dossier).
WITH_CONSENT = {
    "item_detail (attended meeting)": 200,
    "item_detail (selected document)": 200,
    "item_report (selected document)": 200,
    "pupil_documents": 200,
}


def test_with_consent(world, client_for, setting):
    _case, _meeting, item, selected = setting
    client = client_for("care_team_member")
    for name, url in _walk(world, item, selected).items():
        assert client.get(url).status_code == WITH_CONSENT.get(name, 404), name


def test_after_withdrawal_everything_is_404(world, client_for, setting):
    _case, _meeting, item, selected = setting
    urls = _walk(world, item, selected)
    care_team.decide(world, decision="withdrawn")
    client = client_for("care_team_member")
    for name, url in urls.items():
        assert client.get(url).status_code == 404, name


def test_after_closing_everything_is_404(world, client_for, setting):
    case, meeting, item, selected = setting
    care_team.sign_off(world, meeting)
    cases.set_monitoring(case=case, since=meeting.date, by=care_team.ib(world))
    cases.close_case(case=case, outcome="Afgerond", by=care_team.ib(world))
    client = client_for("care_team_member")
    for name, url in _walk(world, item, selected).items():
        assert client.get(url).status_code == 404, name


def test_the_ib_keeps_seeing_everything(world, client_for, setting):
    _case, _meeting, item, selected = setting
    care_team.decide(world, decision="withdrawn")
    client = client_for("care_coordinator")
    for name in ("item_detail (selected document)", "item_report (selected document)"):
        assert client.get(_walk(world, item, selected)[name]).status_code == 200, name
    assert (
        client.get(reverse("careroute:pupil_documents", args=[world.pupil.pk])).status_code == 200
    )
