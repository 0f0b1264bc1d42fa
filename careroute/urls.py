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
from careroute import ihp_views  # noqa: E402

urlpatterns += [
    path("leerlingen/<int:pk>/tab/ihp/", ihp_views.pupil_ihps, name="pupil_ihps"),
    path("leerlingen/<int:pk>/ihp/nieuw/", ihp_views.ihp_create, name="ihp_create"),
    path("leerlingen/<int:pk>/opp/nieuw/", ihp_views.opp_create, name="opp_create"),
    path("ihp/<int:pk>/", ihp_views.ihp_detail, name="ihp_detail"),
    path("ihp/<int:pk>/pdf/", ihp_views.ihp_pdf, name="ihp_pdf"),
    path("ihp/<int:pk>/doelen/", ihp_views.goal_add, name="goal_add"),
    path("ihp/doelen/<int:pk>/", ihp_views.goal_edit, name="goal_edit"),
    path("ihp/doelen/<int:pk>/verwijderen/", ihp_views.goal_remove, name="goal_remove"),
    path("ihp/doelen/<int:pk>/meetpunt/", ihp_views.data_point_add, name="data_point_add"),
    path(
        "ihp/meetpunten/<int:pk>/verwijderen/",
        ihp_views.data_point_remove,
        name="data_point_remove",
    ),
    path("ihp/<int:pk>/organisatie/", ihp_views.organisation_add, name="organisation_add"),
    path(
        "ihp/organisatie/<int:pk>/verwijderen/",
        ihp_views.organisation_remove,
        name="organisation_remove",
    ),
    path("ihp/<int:pk>/starten/", ihp_views.ihp_start, name="ihp_start"),
    path("ihp/<int:pk>/evalueren/", ihp_views.ihp_evaluate, name="ihp_evaluate"),
    path("ihp/<int:pk>/herzien/", ihp_views.ihp_revise, name="ihp_revise"),
    path("opp/<int:pk>/", ihp_views.opp_detail, name="opp_detail"),
    path("opp/<int:pk>/pdf/", ihp_views.opp_pdf, name="opp_pdf"),
    path("opp/<int:pk>/akkoord/", ihp_views.opp_agreement, name="opp_agreement"),
    path("opp/<int:pk>/evaluaties/", ihp_views.opp_evaluation_add, name="opp_evaluation_add"),
]

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

# The school's choices for its care route.
from careroute import settings_views  # noqa: E402

urlpatterns += [
    path("zorgroute/instellingen/", settings_views.care_route_settings, name="settings"),
]
