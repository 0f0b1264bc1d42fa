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
urlpatterns += []
