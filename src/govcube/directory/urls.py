from django.urls import path

from govcube.directory import views

app_name = "directory"
urlpatterns = [
    path("enterprises/", views.enterprise_list, name="enterprise_list"),
    path("enterprises/<int:pk>/", views.enterprise_detail, name="enterprise"),
    path("enterprises/<int:pk>/edit/", views.enterprise_edit, name="enterprise_edit"),
    path("buildings/<int:building_pk>/enterprises/new/", views.enterprise_create, name="enterprise_create"),
    path("people/", views.person_list, name="person_list"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("party-organisations/", views.party_organisation_list, name="party_organisation_list"),
    path("party-organisations/<int:pk>/", views.party_organisation_detail, name="party_organisation"),
]
