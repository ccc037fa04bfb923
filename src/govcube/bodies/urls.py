from django.urls import path

from govcube.bodies import views

app_name = "bodies"
urlpatterns = [
    path("", views.body_list, name="body_list"),
    path("new/", views.body_create, name="body_create"),
    path("<int:pk>/", views.body_detail, name="body"),
    path("<int:pk>/rules/", views.body_edit, name="body_edit"),
    path("<int:pk>/members/add/", views.member_add, name="member_add"),
    path("<int:pk>/members/<int:member_pk>/end/", views.member_end, name="member_end"),
]
