from django.urls import path

from govcube.workdays import views

app_name = "workdays"
urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("days/set/", views.day_set, name="day_set"),
    path("days/remove/", views.day_remove, name="day_remove"),
    path("upload/", views.upload, name="upload"),
    path("example.csv", views.example_file, name="example"),
]
