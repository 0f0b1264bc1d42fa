from django.urls import path

from meetings import (
    action_point_views,
    attendee_views,
    feed_views,
    item_views,
    pupil_views,
    registration_views,
    report_views,
    views,
)

app_name = "meetings"

urlpatterns = [
    path("jaarplanning/", views.meeting_list, name="meeting_list"),
    path("jaarplanning/maand/", views.meeting_calendar, name="meeting_calendar"),
    path(
        "jaarplanning/groepsbesprekingen/",
        views.group_meetings_plan,
        name="group_meetings_plan",
    ),
    path("jaarplanning/zorgteam/", views.care_team_plan, name="care_team_plan"),
    path("jaarplanning/nieuw/", views.meeting_create, name="meeting_create"),
    path("jaarplanning/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("jaarplanning/<int:pk>/wijzigen/", views.meeting_edit, name="meeting_edit"),
    path("jaarplanning/<int:pk>/annuleren/", views.meeting_cancel, name="meeting_cancel"),
    path("jaarplanning/<int:pk>/verslag/", views.minutes_save, name="minutes_save"),
    path("jaarplanning/<int:pk>/samenvatting/", views.summary_save, name="summary_save"),
    path("jaarplanning/<int:pk>/voorbereiding/", views.preparation_save, name="preparation_save"),
    path("jaarplanning/<int:pk>/gehouden/", views.meeting_held, name="meeting_held"),
    path("jaarplanning/<int:pk>/ondertekenen/", views.meeting_sign_off, name="meeting_sign_off"),
    path("jaarplanning/<int:pk>/aanvulling/", views.addendum_add, name="addendum_add"),
    path("jaarplanning/<int:pk>/deelnemers/", attendee_views.attendee_add, name="attendee_add"),
    path(
        "jaarplanning/<int:pk>/deelnemers/<int:attendee_pk>/verwijderen/",
        attendee_views.attendee_remove,
        name="attendee_remove",
    ),
    path("jaarplanning/<int:pk>/inzoomen/", item_views.zoom_in, name="zoom_in"),
    path("jaarplanning/<int:pk>/verslag.pdf", report_views.meeting_report, name="meeting_report"),
    path("besprekingspunten/<int:pk>/", item_views.item_detail, name="item_detail"),
    path("besprekingspunten/<int:pk>/delen/", item_views.item_share, name="item_share"),
    path(
        "besprekingspunten/<int:pk>/aanvulling/",
        item_views.item_addendum_add,
        name="item_addendum_add",
    ),
    path("besprekingspunten/<int:pk>/verwijderen/", item_views.item_remove, name="item_remove"),
    path("besprekingspunten/<int:pk>/verslag.pdf", report_views.item_report, name="item_report"),
    path(
        "leerlingen/<int:pk>/tab/besprekingen/",
        pupil_views.pupil_meetings,
        name="pupil_meetings",
    ),
    path("groepen/<int:pk>/besprekingen/", pupil_views.group_meetings, name="group_meetings"),
    path(
        "jaarplanning/<int:pk>/actiepunt/",
        action_point_views.action_point_add,
        name="action_point_add",
    ),
    path("acties/", action_point_views.my_actions, name="my_actions"),
    path("acties/school/", action_point_views.school_actions, name="school_actions"),
    path(
        "acties/<int:pk>/afgerond/",
        action_point_views.action_point_complete,
        name="action_point_complete",
    ),
    path(
        "acties/<int:pk>/heropenen/",
        action_point_views.action_point_reopen,
        name="action_point_reopen",
    ),
    path(
        "acties/<int:pk>/wijzigen/", action_point_views.action_point_edit, name="action_point_edit"
    ),
    path(
        "jaarplanning/<int:pk>/aanmeldingen/",
        registration_views.registration_attach,
        name="registration_attach",
    ),
    path(
        "jaarplanning/<int:pk>/leerling/<int:item_pk>/",
        registration_views.growth_document,
        name="growth_document",
    ),
    path(
        "jaarplanning/<int:pk>/leerling/<int:item_pk>/van-agenda/",
        registration_views.item_detach,
        name="item_detach",
    ),
    path("aanmeldingen/", registration_views.registration_list, name="registration_list"),
    path(
        "aanmeldingen/nieuw/<int:pupil_pk>/",
        registration_views.registration_create,
        name="registration_create",
    ),
    path(
        "aanmeldingen/<int:pk>/", registration_views.registration_detail, name="registration_detail"
    ),
    path(
        "aanmeldingen/<int:pk>/intrekken/",
        registration_views.registration_withdraw,
        name="registration_withdraw",
    ),
    path("agenda/koppelen/", feed_views.feed_link, name="feed_link"),
    path("agenda/<str:token>.ics", feed_views.feed, name="feed"),
]
