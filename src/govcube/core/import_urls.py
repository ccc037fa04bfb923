from django.urls import path

from govcube.core import import_views

app_name = "imports"
urlpatterns = [path("", import_views.import_list, name="import_list")]
