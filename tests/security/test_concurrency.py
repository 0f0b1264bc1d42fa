"""Two people editing the same document: the second save never overwrites the first silently.

Every document several people edit on a form page of its own is listed in EDITABLE (later
issues add meeting notes and the care route's documents). For each, two people open the form,
the first saves, and the second's save, made over a version they never saw, must be refused
with both versions on the page; saving again after seeing the other version is allowed.

The group overview's rows are edited in a grid, not a form page of their own; the same rule is
tested for them in tests/groupplans/test_overview.py (a stale save, plain and in place) and in
the browser in tests/e2e/test_overview_journey.py. The group plan's areas, subgroups and pupils'
evaluations are parts of the plan's pages; the rule is tested for them in
tests/groupplans/test_plan_views.py (a stale save of each, with both versions on the page).
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import force_login
from tests.hgw.test_access_matrix import (
    _action_point,
    _hgd,
    _ihp,
    _meeting,
    _opp,
    _pupil_meeting,
    _registration,
    group_item,
    log_entry,
)


@dataclass
class Editable:
    first: str  # persona who saves first
    second: str  # persona whose save is stale
    url: Callable  # world -> the edit page
    fields: Callable  # world -> the form's other fields
    changed: str  # the field both people change
    value: Callable  # world -> the record's current value of that field, as typed
    # What the first person, the second and a script without the fingerprint type.
    typed: tuple[str, str, str] = ("06-11111111", "06-22222222", "06-33333333")
    # What a stale save answers: the page again (200), or 409 Conflict.
    stale_status: int = 200


def _growth_item(world):
    return _pupil_meeting(world).items.get()


def _anna(world):
    return world.pupil.guardians.get()


def _maths(world):
    from pupils.models import Instrument

    return Instrument.objects.get(name="Cito Rekenen-Wiskunde")


def _maths_growth(world) -> str | None:
    """The school's growth threshold for maths as a person types it ("1,5"); None: default."""
    from groupplans.models import SignalRule

    rule = SignalRule.objects.filter(school=world.school, instrument=_maths(world)).first()
    if rule is None or rule.min_growth is None:
        return None
    return f"{rule.min_growth.normalize():f}".replace(".", ",")


def _care_team_registration(world):
    from tests.careroute import care_team

    return care_team.registration(world)


EDITABLE: dict[str, Editable] = {
    # The care-team registration: the IB, in two tabs.
    "care_team_registration": Editable(
        first="care_coordinator",
        second="care_coordinator",
        url=lambda w: reverse(
            "careroute:registration_edit", args=[_care_team_registration(w).pupil_id]
        ),
        fields=lambda w: {"parents_involved": "Met moeder opgesteld"},
        changed="question",
        value=lambda w: _care_team_registration(w).question,
        typed=("Hoe leert Sanne lezen?", "Wat helpt Sanne?", "Wie helpt Sanne?"),
        stale_status=409,
    ),
    "guardian": Editable(
        first="care_coordinator",
        second="school_admin",
        url=lambda w: reverse("pupils:guardian_edit", args=[w.pupil.pk, _anna(w).pk]),
        fields=lambda w: {
            "name": _anna(w).name,
            "relation": "mother",
            "has_parental_authority": "on",
            "email": "anna@example.nl",
        },
        changed="phone",
        value=lambda w: _anna(w).phone,
    ),
    # A note in the pupil log: its author (the teacher) and the IB.
    "pupil_log_entry": Editable(
        first="teacher",
        second="care_coordinator",
        url=lambda w: reverse("pupils:log_edit", args=[w.pupil.pk, log_entry(w).pk]),
        fields=lambda w: {
            "date": log_entry(w).date.isoformat(),
            "kind": "parents",
            "participants": "moeder, leerkracht",
        },
        changed="notes",
        value=lambda w: log_entry(w).notes,
    ),
    # The school's signal rule for a test: the IB, in two tabs (a school often has one IB).
    "signal_rule": Editable(
        first="care_coordinator",
        second="care_coordinator",
        url=lambda w: reverse("groupplans:rule_edit", args=[_maths(w).pk]),
        fields=lambda w: {"signal_levels": ["IV", "V"], "level_drop": "1"},
        changed="min_growth",
        value=_maths_growth,
        typed=("1,5", "2,5", "3,5"),
    ),
    # Moving a planned meeting: the IB, in two tabs (or two IBs of one school).
    "meeting": Editable(
        first="care_coordinator",
        second="care_coordinator",
        url=lambda w: reverse("meetings:meeting_edit", args=[_meeting(w).pk]),
        fields=lambda w: {"date": _meeting(w).date.isoformat(), "start_time": "14:00"},
        changed="location",
        value=lambda w: _meeting(w).location,
        typed=("Teamkamer", "Lokaal 12", "Aula"),
    ),
    # A group meeting's notes about one pupil: the IB, in two tabs.
    "meeting_item": Editable(
        first="care_coordinator",
        second="care_coordinator",
        url=lambda w: reverse("meetings:item_detail", kwargs=group_item(w)),
        fields=lambda w: {},
        changed="notes",
        value=lambda w: _item(w).notes,
        typed=("Leest traag", "Leest hakkelend", "Leest goed"),
        stale_status=409,
    ),
    # Correcting an open action point: the IB, in two tabs.
    "action_point": Editable(
        first="care_coordinator",
        second="care_coordinator",
        url=lambda w: reverse("meetings:action_point_edit", args=[_action_point(w).pk]),
        fields=lambda w: {
            "owner": w.users["teacher"].pk,
            "due_date": _action_point(w).due_date.isoformat(),
        },
        changed="description",
        value=lambda w: _action_point(w).description,
        typed=("Rekenles in tweetallen", "Rekenles met materiaal", "Rekenles schrappen"),
    ),
    # A draft registration: the pupil's teacher and the IB on their behalf.
    "registration": Editable(
        first="teacher",
        second="care_coordinator",
        url=lambda w: reverse("meetings:registration_detail", args=[_registration(w).pk]),
        fields=lambda w: {"question": "Rekenen?", "tried": "Verlengde instructie"},
        changed="going_well",
        value=lambda w: _registration(w).going_well,
        typed=("Lezen gaat goed", "Spelling gaat goed", "Alles gaat goed"),
        stale_status=409,
    ),
    # A pupil's growth document at a pupil meeting: the IB, in two tabs.
    "growth_document": Editable(
        first="care_coordinator",
        second="care_coordinator",
        url=lambda w: reverse(
            "meetings:growth_document", args=[_pupil_meeting(w).pk, _growth_item(w).pk]
        ),
        fields=lambda w: {"outcome": "plan_suffices"},
        changed="insight",
        value=lambda w: _growth_item(w).insight,
        typed=("Het tempo", "De instructie", "De groep"),
        stale_status=409,
    ),
    # A diagnostics request and the IB's recommendations: the IB, in two tabs.
    "hgd_request": Editable(
        first="care_coordinator",
        second="care_coordinator",
        url=lambda w: reverse("careroute:hgd_detail", args=[_hgd(w).pk]),
        fields=lambda w: {"expert_name": "Drs. Jansen", "expert_discipline": "GZ-psycholoog"},
        changed="question",
        value=lambda w: _hgd(w).question,
        typed=("Waarom leest zij traag?", "Waarom spelt zij zwak?", "Waarom?"),
        stale_status=409,
    ),
    "hgd_recommendations": Editable(
        first="care_coordinator",
        second="care_coordinator",
        url=lambda w: reverse("careroute:hgd_recommendations", args=[_hgd(w).pk]),
        fields=lambda w: {"educational_needs": "Extra leestijd"},
        changed="recommendations",
        value=lambda w: _hgd(w).recommendations,
        typed=("Duolezen", "Voorlezen", "Stillezen"),
        stale_status=409,
    ),
    # An IHP's sections: made by the teacher and the IB together.
    "ihp": Editable(
        first="teacher",
        second="care_coordinator",
        url=lambda w: reverse("careroute:ihp_detail", args=[_ihp(w).pk]),
        fields=lambda w: {
            "starting_situation": "Rekent op niveau IV.",
            "term_start": f"{_ihp(w).term_start:%Y-%m-%d}",
            "term_end": f"{_ihp(w).term_end:%Y-%m-%d}",
        },
        changed="content",
        value=lambda w: _ihp(w).content,
        typed=("Tafels oefenen", "Sommen oefenen", "Niets oefenen"),
        stale_status=409,
    ),
    # One goal of a draft IHP: the teacher and the IB.
    "ihp_goal": Editable(
        first="care_coordinator",
        second="teacher",
        url=lambda w: reverse("careroute:goal_edit", args=[_ihp(w).goals.first().pk]),
        fields=lambda w: {"term": "long", "measure": "sommen per minuut"},
        changed="description",
        value=lambda w: _ihp(w).goals.first().description,
        typed=("Tafels tot 10", "Tafels tot 12", "Geen tafels"),
        stale_status=409,
    ),
    # The OPP: the IB, in two tabs.
    "opp": Editable(
        first="care_coordinator",
        second="care_coordinator",
        url=lambda w: reverse("careroute:opp_detail", args=[_opp(w).pk]),
        fields=lambda w: {"exit_level": "1F", "rationale": "Groeit langzaam"},
        changed="support",
        value=lambda w: type(_opp(w)).objects.get(pk=_opp(w).pk).support,
        typed=("Eigen leerlijn", "Extra instructie", "Geen"),
        stale_status=409,
    ),
}


def _item(world):
    from meetings.models import MeetingItem

    return MeetingItem.objects.get(**group_item(world))


def _open(world, persona: str, url: str) -> tuple[Client, dict]:
    """Log in as the persona in a client of their own, open the form, return the client and the
    hidden fields it carries (the fingerprint of the version seen)."""
    client = Client()
    force_login(client, world.users[persona])
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["form"]
    hidden = {f.name: form[f.name].value() for f in form.hidden_fields()}
    assert any(hidden.values()), "the form must carry what its user has seen"
    return client, hidden


@pytest.mark.parametrize("name", sorted(EDITABLE))
def test_a_stale_save_is_refused_and_shows_both_versions(name, world):
    doc = EDITABLE[name]
    url = doc.url(world)
    fields = doc.fields(world)
    first, first_seen = _open(world, doc.first, url)
    second, second_seen = _open(world, doc.second, url)

    theirs, yours, _script = doc.typed
    saved = first.post(url, fields | first_seen | {doc.changed: theirs})
    assert saved.status_code == 302
    assert doc.value(world) == theirs

    stale = second.post(url, fields | second_seen | {doc.changed: yours})
    assert stale.status_code == doc.stale_status, (
        "a save over an unseen version must not go through"
    )
    body = stale.content.decode()
    assert theirs in body and yours in body  # both versions on screen
    assert doc.value(world) == theirs  # nothing overwritten

    # Having seen the other version, the second person may keep theirs.
    form = stale.context["form"]
    now_seen = {f.name: form.data.get(f.name) for f in form.hidden_fields()}
    again = second.post(url, fields | now_seen | {doc.changed: yours})
    assert again.status_code == 302
    assert doc.value(world) == yours


@pytest.mark.parametrize("name", sorted(EDITABLE))
def test_saving_without_the_fingerprint_is_refused(name, world):
    """A form posted without what its user saw (an old tab, a script) cannot overwrite."""
    doc = EDITABLE[name]
    url = doc.url(world)
    before = doc.value(world)
    client, _hidden = _open(world, doc.first, url)
    response = client.post(url, doc.fields(world) | {doc.changed: doc.typed[2]})
    assert response.status_code in (200, doc.stale_status)
    assert doc.value(world) == before
