"""The route tab of a pupil's dossier (tab "route") and the moves along the route.

The tab shows the five levels with the current one marked, the history of moves, the moves
the person may make now (each a small form) and, for each move they could make but cannot
yet, what is missing. Every move goes through `careroute.route.move`.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from careroute import route
from careroute.models import Level, RouteEvent
from careroute.route_forms import RouteMoveForm
from hgw import access
from hgw.dossier import TABS

EVENTS_PER_PAGE = 20

# Sensitive (see hgw/access.py): the parents' consent, diagnostics and the ZAT. Whoever may
# not see sensitive data sees that such a step happened, not its reason or its evidence.
SENSITIVE_MOVES = ["hgd", "zat"]
SENSITIVE_EVIDENCE = ["consent", "hgd_request", "zat_handover"]


# Where the evidence of a blocked move is made: a dossier tab (the move's people see it).
EVIDENCE_TAB = {
    "start_ihp": "ihp",
    "goal_reached": "ihp",
    "to_care_team": "documenten",
    "case_closed": "documenten",
    "zat": "documenten",
    "hgd": "onderzoek",
}


def _where(pupil, move: route.Move) -> tuple[str, str] | None:
    """The link next to what a blocked move misses: where to make it."""
    if move.name == "register_pupil_meeting":
        return reverse("meetings:registration_create", args=[pupil.pk]), _("Write a registration")
    slug = EVIDENCE_TAB.get(move.name)
    tab = next((tab for tab in TABS if tab.slug == slug), None)
    if tab is None:
        return None
    url = reverse("pupil_dossier_tab", args=[pupil.pk, tab.slug])
    return url, _("To the tab “%(tab)s”") % {"tab": tab.label}


def _moves_now(actor: access.Actor, pupil, level: int, refused: dict | None) -> list[dict]:
    """The moves from `level` the person may make by role: allowed (with a form) or blocked
    (with what is missing). The refused move keeps what was typed and its reasons."""
    found = []
    for move in route.MOVES.values():
        if level not in move.from_levels or not access.can_move(actor, pupil, move):
            continue
        is_refused = bool(refused) and refused["move"] == move.name
        if is_refused:
            form, missing = refused["form"], refused["missing"]
            refused["listed"] = True
        else:
            form = RouteMoveForm(move=move, level=level, prefix=move.name)
            missing = route.check(pupil, move.name, actor_user=actor.user, today=actor.today)
        found.append(
            {
                "move": move,
                "form": form,
                "missing": missing,
                "is_refused": is_refused,
                "where": _where(pupil, move) if missing else None,
            }
        )
    return found


def _route_context(request: HttpRequest, actor, pupil, refused: dict | None = None) -> dict:
    level = route.current_level(pupil)
    events = RouteEvent.objects.filter(pupil=pupil).select_related("by").order_by("-at", "-pk")
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    return {
        "pupil": pupil,
        "level": level,
        "levels": Level.choices,
        "page": page,
        "move_labels": {name: move.label for name, move in route.MOVES.items()},
        "moves": _moves_now(actor, pupil, level, refused),
        "refused": refused,
        "sees_sensitive": access.can_view(actor, pupil, access.Category.SENSITIVE),
        "sensitive_moves": SENSITIVE_MOVES,
        "sensitive_evidence": SENSITIVE_EVIDENCE,
    }


def pupil_route(request: HttpRequest, pk: int) -> HttpResponse:
    """The dossier tab "route"."""
    actor = access.actor_for(request)
    pupil = access.get_pupil_or_404(request, pk, access.Category.LEARNING)
    if not access.can_view_route(actor, pupil):
        raise Http404
    return render(request, "careroute/pupil_route.html", _route_context(request, actor, pupil))


@require_POST
def route_move(request: HttpRequest, pk: int, move: str) -> HttpResponse:
    """Make one move. Refused: the route page again (422) with what was typed and what is
    missing."""
    actor = access.actor_for(request)
    pupil = access.get_pupil_or_404(request, pk, access.Category.LEARNING)
    chosen = route.MOVES.get(move)
    if chosen is None or not access.can_move(actor, pupil, chosen):
        raise Http404
    level = route.current_level(pupil)
    form = RouteMoveForm(request.POST, move=chosen, level=level, prefix=chosen.name)
    missing: list[str] = []
    if form.is_valid():
        try:
            event = route.move(
                pupil=pupil,
                move_name=chosen.name,
                by=request.user,
                reason=form.cleaned_data["reason"],
                today=actor.today,
                to_level=form.cleaned_data.get("to_level"),
            )
        except route.MoveRefused as refused:
            missing = refused.missing
        else:
            messages.success(
                request,
                _("%(move)s: %(pupil)s is now at level %(level)s (%(name)s).")
                % {
                    "move": chosen.label,
                    "pupil": pupil.full_name,
                    "level": event.to_level,
                    "name": Level(event.to_level).label,
                },
            )
            return redirect("pupil_dossier_tab", pk=pupil.pk, tab="route")
    missing += [str(error) for error in form.non_field_errors()]
    refused = {
        "move": chosen.name,
        "label": chosen.label,
        "form": form,
        "missing": missing or [_("Correct what is marked below.")],
        "listed": False,
    }
    return render(
        request,
        "careroute/route_refused.html",
        _route_context(request, actor, pupil, refused),
        status=422,
    )
