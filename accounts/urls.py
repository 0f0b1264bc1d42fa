from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from accounts import forms, views

app_name = "accounts"

urlpatterns = [
    path("inloggen/", views.login, name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "wachtwoord/wijzigen/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change.html",
            form_class=forms.PasswordChangeForm,
            success_url=reverse_lazy("accounts:password_change_done"),
        ),
        name="password_change",
    ),
    path(
        "wachtwoord/gewijzigd/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path("wachtwoord/vergeten/", views.password_reset, name="password_reset"),
    path(
        "wachtwoord/vergeten/verstuurd/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "wachtwoord/nieuw/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            form_class=forms.SetPasswordForm,
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "wachtwoord/nieuw/klaar/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("e-mailadres/", views.email_change, name="email_change"),
    path("school/", views.school_choose, name="school_choose"),
    path("medewerkers/", views.staff_list, name="staff_list"),
    path("medewerkers/toevoegen/", views.staff_add, name="staff_add"),
    path("medewerkers/<int:user_pk>/", views.staff_detail, name="staff_detail"),
    path("medewerkers/<int:user_pk>/beeindigen/", views.membership_end, name="membership_end"),
    path(
        "medewerkers/<int:user_pk>/tweestaps-herstellen/",
        views.staff_two_factor_reset,
        name="staff_two_factor_reset",
    ),
    path("school/beveiliging/", views.school_security, name="school_security"),
    path(
        "school/beveiligingsgebeurtenissen/",
        views.security_event_list,
        name="security_event_list",
    ),
    path("tweestaps/", views.two_factor, name="two_factor"),
    path("tweestaps/instellen/", views.two_factor_enrol, name="two_factor_enrol"),
    path("tweestaps/controleren/", views.two_factor_verify, name="two_factor_verify"),
    path("tweestaps/reservecodes/", views.two_factor_backup_codes, name="two_factor_backup_codes"),
    path("tweestaps/verwijderen/", views.two_factor_remove, name="two_factor_remove"),
]
