from django.urls import path

app_name = "careroute"

urlpatterns: list = []

# The route: the tab, the moves (route slice).
from careroute import route_views  # noqa: E402

urlpatterns += [
    path("leerlingen/<int:pk>/tab/route/", route_views.pupil_route, name="pupil_route"),
    path("leerlingen/<int:pk>/route/<slug:move>/", route_views.route_move, name="route_move"),
]

# Consent, the care-team registration and case, the documents for externals (care-team slice).
urlpatterns += []

# The IHP and the OPP (IHP slice).
urlpatterns += []

# Diagnostics (HGD slice).
from careroute import hgd_views  # noqa: E402

urlpatterns += [
    path("leerlingen/<int:pk>/tab/onderzoek/", hgd_views.pupil_hgd, name="pupil_hgd"),
    path("leerlingen/<int:pk>/onderzoek/nieuw/", hgd_views.hgd_create, name="hgd_create"),
    path("onderzoek/<int:pk>/", hgd_views.hgd_detail, name="hgd_detail"),
    path("onderzoek/<int:pk>/uploaden/", hgd_views.hgd_upload, name="hgd_upload"),
    path("onderzoek/<int:pk>/advies/", hgd_views.hgd_recommendations, name="hgd_recommendations"),
    path("onderzoek/<int:pk>/vertalen/", hgd_views.hgd_translate, name="hgd_translate"),
    path("onderzoek/<int:pk>/delen/", hgd_views.hgd_share, name="hgd_share"),
    path("onderzoek/<int:pk>/verslag/", hgd_views.hgd_report, name="hgd_report"),
]
