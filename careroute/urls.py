from django.urls import path

app_name = "careroute"

urlpatterns: list = []

# The route: the tab, the moves (route slice).
urlpatterns += []

# Consent, the care-team registration and case, the documents for externals (care-team slice).
from careroute import case_views, consent_views  # noqa: E402

urlpatterns += [
    path(
        "leerlingen/<int:pk>/tab/documenten/",
        consent_views.pupil_documents,
        name="pupil_documents",
    ),
    path(
        "leerlingen/<int:pk>/toestemming/vastleggen/",
        consent_views.consent_add,
        name="consent_add",
    ),
    path(
        "toestemming/<int:pk>/formulier/",
        consent_views.consent_form_file,
        name="consent_form",
    ),
    path(
        "leerlingen/<int:pk>/zorgteam/aanmelding/",
        case_views.registration_edit,
        name="registration_edit",
    ),
    path(
        "zorgteam/aanmeldingen/<int:pk>/documenten/",
        case_views.documents_select,
        name="documents_select",
    ),
    path("zorgteam/trajecten/<int:pk>/agenda/", case_views.case_agenda, name="case_agenda"),
    path(
        "zorgteam/trajecten/<int:pk>/agenda/<int:item_pk>/eraf/",
        case_views.case_agenda_remove,
        name="case_agenda_remove",
    ),
    path(
        "zorgteam/trajecten/<int:pk>/monitoren/",
        case_views.case_monitoring,
        name="case_monitoring",
    ),
    path("zorgteam/trajecten/<int:pk>/afsluiten/", case_views.case_close, name="case_close"),
]

# The IHP and the OPP (IHP slice).
urlpatterns += []

# Diagnostics (HGD slice).
urlpatterns += []
