"""The tabs of a pupil's dossier page.

Each tab is a view of the app that owns the data, named here by its URL name; the dossier
shell (`hgw.views.pupil_dossier`) shows the tabs the person may see and embeds the chosen
one. Later apps add their tab here.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from hgw.access import Category


@dataclass(frozen=True)
class Tab:
    slug: str  # in the URL, Dutch like every URL of hgw
    label: str | Promise
    url_name: str
    category: Category


TABS: list[Tab] = [
    Tab("gegevens", _("Details"), "pupils:pupil_basic", Category.BASIC),
]

DEFAULT_TAB = TABS[0].slug
