from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.actions import (
    PLATFORM_FLAGS,
    record_platform_rights_change,
    save_membership_by_operator,
)
from accounts.models import Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["school", "board"]
    # Who held which role when stays known: a role ends with its end date, it is not deleted.
    can_delete = False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["full_name"]
    list_display = ["full_name", "email", "is_active", "is_superuser"]
    search_fields = ["full_name", "email"]
    fieldsets = [
        (None, {"fields": ["email", "full_name", "password"]}),
        (_("Platform"), {"fields": ["is_active", "is_staff", "is_superuser"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})
    ]
    filter_horizontal = []
    list_filter = ["is_active", "is_superuser"]
    inlines = [MembershipInline]

    def save_model(self, request, obj, form, change):
        # Every change of roles here is a security event (accounts.actions), not only a line
        # in the admin's own log.
        before = {}
        if change:
            before = User.objects.filter(pk=obj.pk).values(*PLATFORM_FLAGS).first() or {}
        super().save_model(request, obj, form, change)
        if change:
            record_platform_rights_change(user=obj, by=request.user, before=before)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        for membership in formset.save(commit=False):
            save_membership_by_operator(membership=membership, by=request.user)


# hgw gives access through memberships, not Django's groups and permissions.
admin.site.unregister(Group)

# The second factor's devices hold the keys of people's authenticator apps: not even a platform
# operator sees them. A lost phone is reset by the school (accounts:staff_two_factor_reset).
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
