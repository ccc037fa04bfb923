from django.urls import path

from govcube.core import import_views

app_name = "imports"
urlpatterns = [
    path("", import_views.import_list, name="import_list"),
    path("<int:pk>/", import_views.import_detail, name="import_detail"),
    path("<int:pk>/errors.xlsx", import_views.import_report, name="import_report"),
    path("templates/<slug:kind>.xlsx", import_views.import_template, name="import_template"),
]
