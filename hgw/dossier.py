"""The tabs of a pupil's dossier page.

Each tab is a view of the app that owns the data, named here by its URL name; the dossier
shell (`hgw.views.pupil_dossier`) shows the tabs the person may see and embeds the chosen
one. The list is the whole dossier as designed; a tab appears once the app that owns it
provides its URL.
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from hgw.access import Category


@dataclass(frozen=True)
class Tab:
    slug: str  # in the URL, Dutch like every URL of hgw
    label: str | Promise
    url_name: str
    category: Category
    # A sensitive tab whose view shows a teacher what the IB shared with them.
    shared_with_teacher: bool = False


TABS: list[Tab] = [
    Tab("gegevens", _("Details"), "pupils:pupil_basic", Category.BASIC),
    Tab("toetsen", _("Tests"), "pupils:pupil_results", Category.LEARNING),
    Tab("logboek", _("Pupil log"), "pupils:pupil_log", Category.LEARNING),
    Tab("plannen", _("Plans"), "groupplans:pupil_plans", Category.LEARNING),
    Tab("besprekingen", _("Meetings"), "meetings:pupil_meetings", Category.LEARNING),
    Tab("route", _("Care route"), "careroute:pupil_route", Category.LEARNING),
    Tab("ihp", _("IHP and OPP"), "careroute:pupil_ihps", Category.LEARNING),
    Tab(
        "onderzoek",
        _("Diagnostics"),
        "careroute:pupil_hgd",
        Category.SENSITIVE,
        shared_with_teacher=True,
    ),
    Tab("documenten", _("Documents"), "careroute:pupil_documents", Category.SENSITIVE),
]


def _provided(tab: Tab) -> bool:
    try:
        reverse(tab.url_name, kwargs={"pk": 1})
    except NoReverseMatch:
        return False
    return True


def available_tabs(categories: frozenset[Category], *, teacher: bool = False) -> list[Tab]:
    """The tabs that exist so far and whose data the person may see, in dossier order; for a
    teacher also the sensitive tabs that show what the IB shared with them."""
    return [
        tab
        for tab in TABS
        if (tab.category in categories or (teacher and tab.shared_with_teacher)) and _provided(tab)
    ]
