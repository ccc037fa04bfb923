from django.urls import path  # noqa: F401

from govcube.work import views  # noqa: F401

app_name = "work"
urlpatterns: list = []
