"""The retention page: pupils whose retention period has passed, and confirming their erasure.

The rules are in `pupils.retention`; who may do what in `hgw.access`.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from audit.log import note_pupils
from audit.models import Erasure
from hgw import access
from pupils.retention import (
    PurgeRefused,
    expired_pupils,
    purge_expired,
    purge_pupils,
    retention_ends,
)
from schools.numbers import whole_number

PAGE_SIZE = 50


def retention(request: HttpRequest) -> HttpResponse:
    """The IB sees the pupils by name and confirms; the privacy officer sees the numbers."""
    actor = access.actor_for(request)
    if not access.can_view_retention(actor):
        raise Http404
    expired = expired_pupils(actor.school, actor.today)
    can_purge = access.can_purge_pupils(actor)
    page = None
    if can_purge:
        page = Paginator(expired.ordered(), PAGE_SIZE).get_page(request.GET.get("page"))
        note_pupils(request, page.object_list)
        for pupil in page.object_list:
            pupil.retention_ended = retention_ends(pupil)
    return render(
        request,
        "pupils/retention.html",
        {
            "count": expired.count(),
            "page": page,
            "can_purge": can_purge,
            "erasures": Erasure.objects.filter(school=actor.school).select_related("by")[:25],
        },
    )


@require_POST
def retention_purge(request: HttpRequest) -> HttpResponse:
    actor = access.actor_for(request)
    if not access.can_purge_pupils(actor):
        raise Http404
    try:
        if request.POST.get("scope") == "all":
            # At most as many as the page said, so the IB erases no more than they saw.
            shown = whole_number(request.POST.get("count"), low=0) or 0
            erased = purge_expired(school=actor.school, by=request.user, limit=shown)
        else:
            ids = {whole_number(v) for v in request.POST.getlist("pupil")} - {None}
            erased = len(ids)
            purge_pupils(school=actor.school, pupil_ids=ids, by=request.user, on=actor.today)
    except PurgeRefused as error:
        messages.error(request, str(error))
        return redirect("pupils:retention")
    except ValueError:
        raise Http404 from None
    if erased:
        messages.success(
            request,
            ngettext(
                "The data of %(count)s pupil has been erased.",
                "The data of %(count)s pupils has been erased.",
                erased,
            )
            % {"count": erased},
        )
    else:
        messages.info(request, _("Nothing was erased."))
    return redirect("pupils:retention")
