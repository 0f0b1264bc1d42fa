"""The care team's external member sees a pupil only through a consented, open case: the
pupil's items of the care-team meetings they attend and the documents the IB selected. When
consent falls or the case closes, access ends at once (404)."""

from django.urls import reverse

from careroute import cases
from meetings import actions
from tests.careroute import care_team


def _selected_earlier_item(world, case):
    """A signed-off care-team item of a meeting the member did not attend, selected by the IB."""
    earlier = care_team.care_team_meeting(world, offset=20, attend=False)
    item = actions.add_care_team_item(
        meeting=earlier, pupil=world.pupil, documents=[], by=care_team.ib(world)
    )
    care_team.sign_off(world, earlier)
    cases.select_document(
        registration=case.registration, kind="meeting_item", pk=item.pk, by=care_team.ib(world)
    )
    return item


def _urls(world, item, selected):
    return [
        reverse("meetings:item_detail", args=[item.pk]),
        reverse("meetings:item_report", args=[selected.pk]),
        reverse("careroute:pupil_documents", args=[world.pupil.pk]),
    ]


def test_the_member_sees_the_item_and_the_selected_documents_with_consent(world, client_for):
    case, _meeting, item = care_team.consented_case_on_agenda(world, offset=60)
    selected = _selected_earlier_item(world, case)
    client = client_for("care_team_member")
    for url in _urls(world, item, selected):
        assert client.get(url).status_code == 200, url
    page = client.get(reverse("careroute:pupil_documents", args=[world.pupil.pk]))
    assert reverse("meetings:item_report", args=[selected.pk]) in page.content.decode()
    # The selected item is the document only: its page stays closed.
    assert client.get(reverse("meetings:item_detail", args=[selected.pk])).status_code == 404
    # Their own dossier access does not come with it.
    assert client.get(reverse("pupil_dossier", args=[world.pupil.pk])).status_code == 404


def test_the_member_sees_the_advice_of_the_meeting_they_attend(world, client_for):
    _case, _meeting, item = care_team.consented_case_on_agenda(world, offset=60)
    actions.save_item(
        item=item, values={"advice": "Inzet logopedie"}, seen_version=1, by=care_team.ib(world)
    )
    body = client_for("care_team_member").get(reverse("meetings:item_detail", args=[item.pk]))
    assert "Inzet logopedie" in body.content.decode()


def test_withdrawal_ends_access_at_once(world, client_for):
    case, meeting, item = care_team.consented_case_on_agenda(world, offset=60)
    selected = _selected_earlier_item(world, case)
    client = client_for("care_team_member")
    assert (
        client.get(reverse("careroute:pupil_documents", args=[world.pupil.pk])).status_code == 200
    )
    care_team.decide(world, decision="withdrawn")
    for url in _urls(world, item, selected)[1:]:
        assert client.get(url).status_code == 404, url
    # The pupil has left the upcoming agenda as well.
    assert not meeting.items.exists()


def test_closing_the_case_ends_access_at_once(world, client_for):
    case, meeting, item = care_team.consented_case_on_agenda(world, offset=60)
    selected = _selected_earlier_item(world, case)
    client = client_for("care_team_member")
    assert client.get(reverse("meetings:item_report", args=[selected.pk])).status_code == 200
    care_team.sign_off(world, meeting)
    cases.set_monitoring(case=case, since=meeting.date, by=care_team.ib(world))
    assert client.get(reverse("meetings:item_detail", args=[item.pk])).status_code == 200
    cases.close_case(case=case, outcome="Afgerond", by=care_team.ib(world))
    for url in _urls(world, item, selected):
        assert client.get(url).status_code == 404, url


def test_without_consent_the_member_sees_nothing_even_when_attending(world, client_for):
    care_team.case(world)
    meeting = care_team.care_team_meeting(world)
    item = actions.add_care_team_item(
        meeting=meeting, pupil=world.pupil, documents=[], by=care_team.ib(world)
    )
    client = client_for("care_team_member")
    assert client.get(reverse("meetings:item_detail", args=[item.pk])).status_code == 404
    url = reverse("careroute:pupil_documents", args=[world.pupil.pk])
    assert client.get(url).status_code == 404


def test_the_member_does_not_see_other_pupils_on_the_same_meeting(world, client_for):
    _case, meeting, _item = care_team.consented_case_on_agenda(world)
    other = actions.add_care_team_item(
        meeting=meeting, pupil=world.other_group_pupil, documents=[], by=care_team.ib(world)
    )
    client = client_for("care_team_member")
    assert client.get(reverse("meetings:item_detail", args=[other.pk])).status_code == 404
