from django.urls import path  # noqa: F401

app_name = "careroute"

urlpatterns: list = []

# The route: the tab, the moves (route slice).
urlpatterns += []

# Consent, the care-team registration and case, the documents for externals (care-team slice).
urlpatterns += []

# The IHP and the OPP (IHP slice).
urlpatterns += []

# Diagnostics (HGD slice).
urlpatterns += []
