from django.urls import path

from govcube.engagement import views, views_petitions

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
    # special petitions
    path("petitions/", views_petitions.petition_list, name="petition_list"),
    path("petitions/inbox/", views_petitions.petition_inbox, name="petition_inbox"),
    path("bodies/<int:body_pk>/petitions/new/", views_petitions.petition_new, name="petition_new"),
    path("petitions/<int:pk>/", views_petitions.petition_detail, name="petition_detail"),
    path("petitions/<int:pk>/<slug:action>/", views_petitions.petition_action, name="petition_action"),
    path(
        "petitions/<int:pk>/targets/<int:target_pk>/<slug:action>/",
        views_petitions.target_action,
        name="petition_target_action",
    ),
]
