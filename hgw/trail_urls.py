from django.urls import path

from hgw import trail_views as views

app_name = "trail"

# Not under leerlingen/<pk>/: the dossier shell takes every leerlingen/<pk>/<tab>/.

urlpatterns = [
    path("audittrail/", views.access_list, name="access_list"),
    path("audittrail/wijzigingen/", views.revision_list, name="revision_list"),
    path("audittrail/leerling-zoeken/", views.pupil_search, name="pupil_search"),
    path("audittrail/leerlingen/<int:pk>/", views.pupil_trail, name="pupil_trail"),
    path("audittrail/leerlingen/<int:pk>/inzage.json", views.pupil_export_json, name="export_json"),
    path("audittrail/leerlingen/<int:pk>/inzage.pdf", views.pupil_export_pdf, name="export_pdf"),
]
