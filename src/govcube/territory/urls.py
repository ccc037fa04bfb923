from django.urls import path

from govcube.territory import views

app_name = "territory"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("nodes/<int:pk>/", views.node_detail, name="node"),
    path("buildings/", views.building_list, name="building_list"),
    path("buildings/<int:pk>/", views.building_detail, name="building"),
    path("buildings/<int:pk>/edit/", views.building_edit, name="building_edit"),
]
