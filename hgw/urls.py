from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from hgw import views

urlpatterns = [
    path("", views.home, name="home"),
    path("leerlingen/<int:pk>/", views.pupil_dossier, name="pupil_dossier"),
    path("leerlingen/<int:pk>/<slug:tab>/", views.pupil_dossier, name="pupil_dossier_tab"),
    path("taal/", login_not_required(set_language), name="set_language"),
    path("gezond/", views.health, name="health"),
    path("admin/", admin.site.urls),
    path("", include("accounts.urls")),
    path("", include("pupils.urls")),
    path("", include("groupplans.urls")),
    path("", include("meetings.urls")),
    path("", include("careroute.urls")),
    path("", include("hgw.trail_urls")),
]
