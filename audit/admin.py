from django.contrib import admin

from audit.log import note_pupils
from audit.models import AccessLogEntry, AccessLogPupil, Erasure


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PupilDataAdmin(ReadOnlyAdmin):
    """Pupil data in the admin: read-only, and every read lands in the access log.

    `pupil_field` names the field holding the pupil ("pk" for the pupil itself).
    """

    pupil_field = "pupil_id"

    def _pupil_id(self, obj) -> int:
        return getattr(obj, self.pupil_field)

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        note_pupils(request, [self._pupil_id(obj) for obj in changelist.result_list])
        return changelist

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            note_pupils(request, [self._pupil_id(obj)])
        return obj


class AccessLogPupilInline(admin.TabularInline):
    model = AccessLogPupil
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "school", "what", "path", "ip_address"]
    list_filter = ["school"]
    list_select_related = ["user", "school"]
    date_hierarchy = "at"
    inlines = [AccessLogPupilInline]


@admin.register(Erasure)
class ErasureAdmin(ReadOnlyAdmin):
    list_display = ["at", "school", "pupil_count", "by", "reason"]
    list_filter = ["school"]
    list_select_related = ["by", "school"]
