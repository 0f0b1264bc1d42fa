from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.actions import MembershipExists, add_member, end_memberships
from accounts.forms import MemberForm, SchoolChoiceForm
from accounts.models import Membership, User
from hgw import access
from hgw.middleware import SESSION_SCHOOL_KEY


@login_required
def school_choose(request: HttpRequest) -> HttpResponse:
    schools = request.available_schools
    if not schools:
        raise Http404
    form = SchoolChoiceForm(request.POST or None, schools=schools)
    if request.method == "POST" and form.is_valid():
        request.session[SESSION_SCHOOL_KEY] = form.cleaned_data["school"]
        return redirect("home")
    return render(request, "accounts/school_choose.html", {"form": form})


def _staff_at(school):
    today = timezone.localdate()
    active = Membership.objects.active(today).filter(school=school)
    return (
        User.objects.filter(pk__in=active.values("user_id"))
        .prefetch_related(
            Prefetch("memberships", queryset=active.order_by("role"), to_attr="current_roles")
        )
        .order_by("full_name", "pk")
    )


@login_required
def staff_list(request: HttpRequest) -> HttpResponse:
    actor = access.actor_for(request)
    if not access.can_manage_staff(actor):
        raise Http404
    page = Paginator(_staff_at(actor.school), 50).get_page(request.GET.get("page"))
    return render(request, "accounts/staff_list.html", {"page": page})


@login_required
def staff_add(request: HttpRequest) -> HttpResponse:
    actor = access.actor_for(request)
    if not access.can_manage_staff(actor):
        raise Http404
    form = MemberForm(request.POST or None, action=reverse("accounts:staff_add"))
    if request.method == "POST" and form.is_valid():
        try:
            person, invited = add_member(school=actor.school, by=request.user, **form.cleaned_data)
        except MembershipExists:
            form.add_error("role", _("This person already has this role at this school."))
        else:
            if invited:
                message = _("%(name)s has been added and gets an e-mail to choose a password.")
            else:
                message = _("%(name)s has been added.")
            messages.success(request, message % {"name": person.full_name})
            return redirect("accounts:staff_list")
    return render(request, "accounts/staff_add.html", {"form": form})


@login_required
def staff_detail(request: HttpRequest, user_pk: int) -> HttpResponse:
    actor = access.actor_for(request)
    if not access.can_manage_staff(actor):
        raise Http404
    person = get_object_or_404(_staff_at(actor.school), pk=user_pk)
    return render(
        request,
        "accounts/staff_detail.html",
        {"person": person, "can_end": person.pk != request.user.pk},
    )


@login_required
@require_POST
def membership_end(request: HttpRequest, user_pk: int) -> HttpResponse:
    actor = access.actor_for(request)
    if not access.can_manage_staff(actor):
        raise Http404
    person = get_object_or_404(_staff_at(actor.school), pk=user_pk)
    if person.pk == request.user.pk:
        messages.error(request, _("You cannot end your own roles here; ask another administrator."))
        return redirect("accounts:staff_list")
    end_memberships(user=person, school=actor.school, by=request.user)
    messages.success(
        request,
        _("%(name)s no longer has a role at %(school)s.")
        % {"name": person.full_name, "school": actor.school.name},
    )
    return redirect("accounts:staff_list")


def locked_out(request: HttpRequest, credentials: dict | None = None, *args, **kwargs):
    """What django-axes shows instead of logging in while the account-and-address pair is
    locked out: a plain page (429) saying how long, not a bare error."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked_out.html", {"cooloff_minutes": minutes}, status=429)
