from django.urls import path

from pupils import views

app_name = "pupils"

urlpatterns = [
    path("groepen/", views.group_list, name="group_list"),
    path("groepen/<int:pk>/", views.group_detail, name="group_detail"),
    path("groepen/<int:pk>/leerkracht/", views.assignment_add, name="assignment_add"),
    path("leerlingen/", views.pupil_list, name="pupil_list"),
    path("leerlingen/<int:pk>/tab/gegevens/", views.pupil_basic, name="pupil_basic"),
]
