from django.urls import path

from govcube.engagement import views

app_name = "engagement"
urlpatterns = [
    path("liaison/", views.liaison_list, name="liaison_list"),
    path("liaison/new/", views.liaison_assign, name="liaison_assign"),
    path("liaison/<int:pk>/handover/", views.liaison_handover, name="liaison_handover"),
    path("liaison/<int:pk>/end/", views.liaison_end, name="liaison_end"),
    path("my/", views.my_desk, name="my_desk"),
    path("my/<int:building_pk>/plan/", views.visit_plan, name="visit_plan"),
    path("visits/", views.visit_list, name="visit_list"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/record/", views.visit_record, name="visit_record"),
    path("visits/<int:pk>/cancel/", views.visit_cancel, name="visit_cancel"),
    path("visits/<int:pk>/topic/", views.visit_topic, name="visit_topic"),
    path("visits/<int:pk>/service-request/", views.visit_request, name="visit_request"),
]
