from django.urls import path

from pupils import log_views, retention_views, views

app_name = "pupils"

urlpatterns = [
    path("groepen/", views.group_list, name="group_list"),
    path("groepen/<int:pk>/", views.group_detail, name="group_detail"),
    path("groepen/nieuw-schooljaar/", views.rollover, name="rollover"),
    path("groepen/<int:pk>/leerkracht/", views.assignment_add, name="assignment_add"),
    path("leerlingen/", views.pupil_list, name="pupil_list"),
    path("toetsen/", views.instrument_list, name="instrument_list"),
    path("importeren/", views.import_list, name="import_list"),
    path("bewaartermijn/", retention_views.retention, name="retention"),
    path("bewaartermijn/wissen/", retention_views.retention_purge, name="retention_purge"),
    path("importeren/uploaden/", views.import_upload, name="import_upload"),
    path("importeren/<int:pk>/", views.import_detail, name="import_detail"),
    path("importeren/<int:pk>/kolommen/", views.import_columns, name="import_columns"),
    path("importeren/<int:pk>/uitvoeren/", views.import_confirm, name="import_confirm"),
    path("importeren/<int:pk>/annuleren/", views.import_cancel, name="import_cancel"),
    path("leerlingen/<int:pk>/tab/gegevens/", views.pupil_basic, name="pupil_basic"),
    path("leerlingen/<int:pk>/tab/toetsen/", views.pupil_results, name="pupil_results"),
    path("leerlingen/<int:pk>/toetsen/invoeren/", views.result_add, name="result_add"),
    path("leerlingen/<int:pk>/tab/logboek/", log_views.pupil_log, name="pupil_log"),
    path("leerlingen/<int:pk>/logboek/nieuw/", log_views.log_add, name="log_add"),
    path("leerlingen/<int:pk>/logboek/<int:entry_pk>/", log_views.log_edit, name="log_edit"),
    path("leerlingen/<int:pk>/ouders/toevoegen/", views.guardian_add, name="guardian_add"),
    path(
        "leerlingen/<int:pk>/ouders/<int:guardian_pk>/", views.guardian_edit, name="guardian_edit"
    ),
]
