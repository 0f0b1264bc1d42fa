from django.urls import path

from meetings import feed_views, registration_views, views

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
