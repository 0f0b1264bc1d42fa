from django.urls import path

from groupplans import (
    config_views,
    export_views,
    plan_export_views,
    plan_views,
    pupil_views,
    rule_views,
    views,
)

app_name = "groupplans"

urlpatterns = [
    path("groepsoverzichten/", views.overview_list, name="overview_list"),
    path("groepsoverzichten/nieuw/", views.overview_create, name="overview_create"),
    path("groepsoverzichten/<int:pk>/", views.overview_detail, name="overview_detail"),
    path("groepsoverzichten/<int:pk>/rijen/<int:row_pk>/", views.row_save, name="row_save"),
    path(
        "groepsoverzichten/<int:pk>/rijen/<int:row_pk>/signalering/",
        views.suggestion_decide,
        name="suggestion_decide",
    ),
    path("groepsoverzichten/<int:pk>/versturen/", views.overview_send, name="overview_send"),
    path(
        "groepsoverzichten/<int:pk>/besproken/", views.overview_discussed, name="overview_discussed"
    ),
]

# The overview on paper and in a spreadsheet, and the school's signal rules.
urlpatterns += [
    path(
        "groepsoverzichten/<int:pk>/afdrukken/", export_views.overview_print, name="overview_print"
    ),
    path("groepsoverzichten/<int:pk>/pdf/", export_views.overview_pdf, name="overview_pdf"),
    path("groepsoverzichten/<int:pk>/xlsx/", export_views.overview_xlsx, name="overview_xlsx"),
    path("signaleringsregels/", rule_views.rule_list, name="rule_list"),
    path("signaleringsregels/<int:instrument_pk>/", rule_views.rule_edit, name="rule_edit"),
]

# The group plan.
urlpatterns += [
    path("groepsplannen/", plan_views.plan_list, name="plan_list"),
    path("groepsoverzichten/<int:pk>/groepsplan/", plan_views.plan_create, name="plan_create"),
    path("groepsplannen/<int:pk>/", plan_views.plan_detail, name="plan_detail"),
    path(
        "groepsplannen/<int:pk>/gebieden/<int:section_pk>/",
        plan_views.section_save,
        name="section_save",
    ),
    path(
        "groepsplannen/<int:pk>/gebieden/<int:section_pk>/plaatsen/",
        plan_views.placement_move,
        name="placement_move",
    ),
    path(
        "groepsplannen/<int:pk>/gebieden/<int:section_pk>/voorstellen/",
        plan_views.suggestions_accept,
        name="suggestions_accept",
    ),
    path(
        "groepsplannen/<int:pk>/gebieden/<int:section_pk>/subgroep/",
        plan_views.subgroup_add,
        name="subgroup_add",
    ),
    path(
        "groepsplannen/<int:pk>/subgroepen/<int:subgroup_pk>/",
        plan_views.subgroup_save,
        name="subgroup_save",
    ),
    path("groepsplannen/<int:pk>/evaluatie/", plan_views.plan_evaluation, name="plan_evaluation"),
    path(
        "groepsplannen/<int:pk>/evaluatie/subgroep/<int:subgroup_pk>/",
        plan_views.subgroup_evaluate,
        name="subgroup_evaluate",
    ),
    path(
        "groepsplannen/<int:pk>/evaluatie/<int:placement_pk>/",
        plan_views.placement_save,
        name="placement_save",
    ),
    path("groepsplannen/<int:pk>/starten/", plan_views.plan_activate, name="plan_activate"),
    path("groepsplannen/<int:pk>/evalueren/", plan_views.plan_evaluate, name="plan_evaluate"),
    path(
        "groepsplannen/<int:pk>/volgende-cyclus/",
        plan_views.plan_next_cycle,
        name="plan_next_cycle",
    ),
    path("groepsplannen/<int:pk>/opmerkingen/", plan_views.comment_add, name="comment_add"),
]

# A pupil's plans, as a tab of their dossier.
urlpatterns += [
    path("leerlingen/<int:pk>/tab/plannen/", pupil_views.pupil_plans, name="pupil_plans"),
]

# The group plan on paper, and its week.
urlpatterns += [
    path("groepsplannen/<int:pk>/afdrukken/", plan_export_views.plan_print, name="plan_print"),
    path("groepsplannen/<int:pk>/pdf/", plan_export_views.plan_pdf, name="plan_pdf"),
    path("groepsplannen/<int:pk>/week/", plan_export_views.plan_week, name="plan_week"),
]

# The school's configuration of plans (the IB), and a library entry used in a plan.
urlpatterns += [
    path("plangebieden/", config_views.area_list, name="area_list"),
    path("plangebieden/nieuw/", config_views.area_create, name="area_create"),
    path("plangebieden/<int:pk>/", config_views.area_edit, name="area_edit"),
    path("bibliotheek/", config_views.library_list, name="library_list"),
    path("bibliotheek/nieuw/", config_views.library_create, name="library_create"),
    path("bibliotheek/<int:pk>/", config_views.library_edit, name="library_edit"),
    path("bibliotheek/<int:pk>/verwijderen/", config_views.library_delete, name="library_delete"),
    path(
        "groepsplannen/<int:pk>/subgroepen/<int:subgroup_pk>/bibliotheek/",
        config_views.subgroup_from_library,
        name="subgroup_from_library",
    ),
]
