from django.http import HttpRequest

from hgw import access


def navigation(request: HttpRequest) -> dict:
    """What the base layout needs: the school, the roles there, and which menu items to show."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    actor = access.actor_for(request)
    return {
        "current_school": actor.school,
        "available_schools": getattr(request, "available_schools", []),
        "nav": {
            "groups": access.groups_visible(actor).exists() if actor.school else False,
            "overviews": access.can_view_overviews(actor),
            "meetings": access.can_view_meetings(actor),
            "actions": access.can_have_action_points(actor),
            "registrations": access.can_view_registrations(actor),
            "pupils": access.can_search_pupils(actor),
            "staff": access.can_view_staff(actor),
            "imports": access.can_import(actor),
            "retention": access.can_view_retention(actor),
            "audit_trail": access.can_view_audit_trail(actor),
            "security_events": access.can_view_security_events(actor),
            "care_route_settings": access.can_configure_care_route(actor),
        },
        "role_labels": sorted(str(_label(r)) for r in actor.roles),
    }


def _label(role: str):
    from accounts.models import Role

    return Role(role).label
