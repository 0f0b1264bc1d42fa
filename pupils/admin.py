from django.contrib import admin

from audit.admin import PupilDataAdmin
from pupils.models import Enrolment, Group, GroupTeacherAssignment, Guardian, Pupil


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "school", "school_year", "grade_low", "grade_high"]
    list_filter = ["school", "school_year"]
    list_select_related = ["school", "school_year"]


@admin.register(GroupTeacherAssignment)
class GroupTeacherAssignmentAdmin(admin.ModelAdmin):
    list_display = ["group", "teacher", "start_date", "end_date", "is_substitute"]
    list_select_related = ["group", "teacher"]
    autocomplete_fields = ["teacher"]


@admin.register(Pupil)
class PupilAdmin(PupilDataAdmin):
    pupil_field = "pk"
    list_display = ["__str__", "school", "date_of_birth", "date_in", "date_out"]
    list_select_related = ["school"]
    list_filter = ["school"]


@admin.register(Enrolment)
class EnrolmentAdmin(PupilDataAdmin):
    list_display = ["pupil", "group", "kind", "start_date", "end_date"]
    list_select_related = ["pupil", "group"]


@admin.register(Guardian)
class GuardianAdmin(PupilDataAdmin):
    list_display = ["name", "pupil", "relation", "has_parental_authority"]
    list_select_related = ["pupil"]
