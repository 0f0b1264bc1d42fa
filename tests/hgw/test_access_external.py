"""The access matrix for the care team's external member, with and without consent: the
pupil-data URLs of a pupil with an open care-team case, walked before and after the parents
withdraw their consent (and after the case closes)."""

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessLogEntry
from careroute import cases
from meetings import action_points, actions
from tests.careroute import care_team
from tests.hgw.test_access_matrix import _hgd, _ihp, _opp, _pupil_meeting


def _signed_off_pupil_meeting_item(world):
    """The pupil's item of a pupil meeting (the member does not attend), its growth document
    concluded and the meeting signed off."""
    ib = care_team.ib(world)
    meeting = _pupil_meeting(world)
    item = meeting.items.get()
    actions.save_item(item=item, values={"outcome": "ihp_needed"}, seen_version=item.version, by=ib)
    actions.mark_held(meeting=meeting, by=ib, today=meeting.date)
    actions.sign_off(meeting=meeting, by=ib)
    return item


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
    pupil_item = _signed_off_pupil_meeting_item(world)
    cases.select_document(
        registration=case.registration,
        kind="meeting_item",
        pk=pupil_item.pk,
        by=care_team.ib(world),
    )
    # An IHP, the OPP and a diagnostics report selected; an earlier IHP is not.
    unselected = _ihp(world, "evaluated")
    for kind, pk in [("ihp", _ihp(world, "active").pk), ("opp", _opp(world).pk)]:
        cases.select_document(
            registration=case.registration, kind=kind, pk=pk, by=care_team.ib(world)
        )
    cases.select_document(
        registration=case.registration,
        kind="hgd_report",
        pk=_hgd(world).pk,
        by=care_team.ib(world),
    )
    assert unselected.pk != _ihp(world, "active").pk
    return case, meeting, item, selected


def _pupil_item(world):
    return _pupil_meeting(world).items.get()


def _walk(world, item, selected) -> dict[str, str]:
    pupil = world.pupil.pk
    ihp_selected, ihp_other = _ihp(world, "active").pk, _ihp(world, "evaluated").pk
    return {
        "ihp_pdf (selected)": reverse("careroute:ihp_pdf", args=[ihp_selected]),
        "ihp_pdf (not selected)": reverse("careroute:ihp_pdf", args=[ihp_other]),
        "ihp_detail (selected)": reverse("careroute:ihp_detail", args=[ihp_selected]),
        "opp_pdf (selected)": reverse("careroute:opp_pdf", args=[_opp(world).pk]),
        "opp_detail (selected)": reverse("careroute:opp_detail", args=[_opp(world).pk]),
        "hgd_report (selected)": reverse("careroute:hgd_report", args=[_hgd(world).pk]),
        "hgd_detail (selected)": reverse("careroute:hgd_detail", args=[_hgd(world).pk]),
        "item_detail (attended meeting)": reverse("meetings:item_detail", args=[item.pk]),
        "item_detail (selected document)": reverse("meetings:item_detail", args=[selected.pk]),
        "item_report (selected document)": reverse("meetings:item_report", args=[selected.pk]),
        "item_detail (selected pupil meeting)": reverse(
            "meetings:item_detail", args=[_pupil_item(world).pk]
        ),
        "growth_document (selected pupil meeting)": reverse(
            "meetings:growth_document",
            args=[_pupil_item(world).meeting_id, _pupil_item(world).pk],
        ),
        "item_report (selected pupil meeting)": reverse(
            "meetings:item_report", args=[_pupil_item(world).pk]
        ),
        "pupil_documents": reverse("careroute:pupil_documents", args=[pupil]),
        "pupil_dossier": reverse("pupil_dossier", args=[pupil]),
        "pupil_dossier_tab documenten": reverse("pupil_dossier_tab", args=[pupil, "documenten"]),
        "pupils:pupil_basic": reverse("pupils:pupil_basic", args=[pupil]),
        "meetings:pupil_meetings": reverse("meetings:pupil_meetings", args=[pupil]),
    }


# With consent: what the member may open (everything else stays 404: no dossier). The item
# of the care-team meeting they attend opens as a page; a meeting item selected for them (of a
# pupil meeting or a care-team meeting they did not attend) only as its report.
WITH_CONSENT = {
    "item_detail (attended meeting)": 200,
    "item_report (selected document)": 200,
    "item_report (selected pupil meeting)": 200,
    "pupil_documents": 200,
    # The selected documents as files, never their pages (where the school works on them).
    "ihp_pdf (selected)": 200,
    "opp_pdf (selected)": 200,
    "hgd_report (selected)": 200,
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


def test_the_documents_page_links_each_selected_document(world, client_for, setting):
    _case, _meeting, _item, selected = setting
    page = client_for("care_team_member").get(
        reverse("careroute:pupil_documents", args=[world.pupil.pk])
    )
    body = page.content.decode()
    for url in [
        reverse("meetings:item_report", args=[selected.pk]),
        reverse("meetings:item_report", args=[_pupil_item(world).pk]),
        reverse("careroute:ihp_pdf", args=[_ihp(world, "active").pk]),
        reverse("careroute:opp_pdf", args=[_opp(world).pk]),
        reverse("careroute:hgd_report", args=[_hgd(world).pk]),
    ]:
        assert f'href="{url}"' in body, url
    assert reverse("careroute:ihp_pdf", args=[_ihp(world, "evaluated").pk]) not in body
    # A selected item opens as the document only, never as the page the school works on.
    for pk in (selected.pk, _pupil_item(world).pk):
        assert f'href="{reverse("meetings:item_detail", args=[pk])}"' not in body, pk


def test_the_members_home_lists_their_pupils_until_consent_falls(world, client_for, setting):
    next_week = timezone.localdate() + datetime.timedelta(days=7)
    meeting = actions.plan_meeting(
        school=world.school, kind="care_team", date=next_week, by=care_team.ib(world)
    )
    actions.add_attendee(
        meeting=meeting, user=world.users["care_team_member"], by=meeting.created_by
    )
    client = client_for("care_team_member")
    documents = reverse("careroute:pupil_documents", args=[world.pupil.pk])
    body = client.get(reverse("home")).content.decode()
    assert f'href="{documents}"' in body and world.pupil.full_name in body
    assert reverse("meetings:meeting_detail", args=[meeting.pk]) in body
    assert world.other_group_pupil.full_name not in body
    # The list is a read of the pupil's name: in the access log, named.
    entry = AccessLogEntry.objects.filter(user=world.users["care_team_member"]).latest("pk")
    assert entry.what == "home"
    assert list(entry.pupils.values_list("pupil_id", flat=True)) == [world.pupil.pk]
    care_team.decide(world, decision="withdrawn")
    body = client.get(reverse("home")).content.decode()
    assert world.pupil.full_name not in body and documents not in body


def _internal_links(body: str) -> set[str]:
    links = {html.unescape(href) for href in re.findall(r'href="(/[^"]*)"', body)}
    return {link for link in links if not link.startswith("/static/")}


def test_every_link_on_the_members_pages_opens_for_them(world, client_for, setting):
    """The member's home, the care-team meeting they attend, its item and the documents
    page: every link on them leads somewhere the member may go (before and after the meeting
    is signed off, when the item's report appears)."""
    _case, meeting, item, _selected = setting
    actions.save_item(
        item=item,
        values={"advice": "Inzet logopedie"},
        seen_version=item.version,
        by=care_team.ib(world),
    )
    # An action of the meeting about the pupil, owned by the member ("My actions").
    action_points.add_action_point(
        meeting=meeting,
        description="Logopedist benaderen",
        owner=world.users["care_team_member"],
        due_date=meeting.date + datetime.timedelta(days=14),
        item=item,
        by=care_team.ib(world),
        today=meeting.date,
    )
    client = client_for("care_team_member")
    pages = [
        reverse("home"),
        reverse("meetings:meeting_detail", args=[meeting.pk]),
        reverse("meetings:item_detail", args=[item.pk]),
        reverse("careroute:pupil_documents", args=[world.pupil.pk]),
        reverse("meetings:my_actions"),
    ]

    def walk():
        links = set()
        for page in pages:
            response = client.get(page)
            assert response.status_code == 200, page
            links |= _internal_links(response.content.decode())
        assert reverse("meetings:item_detail", args=[item.pk]) in links
        for link in sorted(links):
            assert client.get(link).status_code < 400, link
        return links

    before = walk()
    care_team.sign_off(world, meeting)
    after = walk()
    assert reverse("meetings:item_report", args=[item.pk]) in after - before


def test_the_member_is_not_told_they_can_share_the_advice(world, client_for, setting):
    _case, _meeting, item, _selected = setting
    actions.save_item(
        item=item,
        values={"advice": "Inzet logopedie"},
        seen_version=item.version,
        by=care_team.ib(world),
    )
    body = client_for("care_team_member").get(reverse("meetings:item_detail", args=[item.pk]))
    text = body.content.decode()
    assert "Inzet logopedie" in text
    assert "u kunt het delen" not in text and "it can be shared" not in text
    assert reverse("meetings:item_share", args=[item.pk]) not in text


def test_after_the_ib_steps_the_pupil_down_from_level_four_everything_is_404(
    world, client_for, setting
):
    from careroute import route
    from careroute.models import CareRoute

    case, _meeting, item, selected = setting
    # The case was opened as the route's move to the care team does.
    CareRoute.objects.update_or_create(
        pupil=world.pupil, defaults={"school": world.school, "level": 4}
    )
    client = client_for("care_team_member")
    urls = _walk(world, item, selected)
    assert client.get(urls["pupil_documents"]).status_code == 200
    route.move(
        pupil=world.pupil,
        move_name="other_down",
        by=care_team.ib(world),
        reason="Doel behaald",
        to_level=1,
    )
    case.refresh_from_db()
    assert case.status == "closed"
    for name, url in urls.items():
        assert client.get(url).status_code == 404, name


def test_a_consent_given_backdated_before_a_withdrawal_gives_no_access_back(
    world, client_for, setting
):
    from django.core.exceptions import ValidationError

    from careroute.models import Consent

    _case, _meeting, item, selected = setting
    urls = _walk(world, item, selected)
    today = timezone.localdate()
    care_team.decide(world, decision="withdrawn")
    with pytest.raises(ValidationError):
        care_team.decide(world, decided_on=today - datetime.timedelta(days=36))
    # Even as a row typed in before such decisions were refused, it does not count.
    withdrawal = Consent.objects.get(decision="withdrawn")
    Consent.objects.create(
        pupil=world.pupil,
        guardian=withdrawal.guardian,
        purpose="care_team",
        care_team_registration=withdrawal.care_team_registration,
        decision="given",
        decided_on=today - datetime.timedelta(days=36),
        how="conversation",
        recorded_by=care_team.ib(world),
    )
    client = client_for("care_team_member")
    for name, url in urls.items():
        assert client.get(url).status_code == 404, name


def test_after_a_new_guardian_with_authority_everything_is_404_until_they_give_it(
    world, client_for, setting
):
    from pupils.models import Guardian

    _case, meeting, item, selected = setting
    urls = _walk(world, item, selected)
    client_for("school_admin").post(
        reverse("pupils:guardian_add", args=[world.pupil.pk]),
        {"name": "Kees de Vries", "relation": "father", "has_parental_authority": "on"},
    )
    kees = Guardian.objects.get(name="Kees de Vries")
    client = client_for("care_team_member")
    for name, url in urls.items():
        assert client.get(url).status_code == 404, name
    assert not meeting.items.filter(pupil=world.pupil).exists()
    care_team.decide(world, guardian=kees)
    assert client.get(urls["pupil_documents"]).status_code == 200
