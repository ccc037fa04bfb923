from django.urls import path

from govcube.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox_view, name="inbox"),
    path("preferences/", views.preferences, name="preferences"),
]
