from django.contrib import admin

from schools.models import Board, Period, School, SchoolYear


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "brin", "dependance_code", "board"]
    list_select_related = ["board"]
    search_fields = ["name", "brin"]


@admin.register(SchoolYear)
class SchoolYearAdmin(admin.ModelAdmin):
    list_display = ["name", "start_date", "end_date"]


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ["school", "school_year", "number", "start_date", "end_date"]
    list_filter = ["school", "school_year"]
    list_select_related = ["school", "school_year"]
