from django.urls import path

from govcube.work.views import lists, needs, project_create, projects

app_name = "work"
urlpatterns = [
    path("", lists.index, name="index"),
    path("needs/", lists.need_list, name="need_list"),
    path("needs/new/", needs.need_create, name="need_create"),
    path("needs/<int:pk>/", needs.need_detail, name="need_detail"),
    path("needs/<int:pk>/status/", needs.need_status, name="need_status"),
    path("resources/", lists.resource_list, name="resource_list"),
    path("resources/new/", needs.resource_offer, name="resource_offer"),
    path("resources/<int:pk>/", needs.resource_detail, name="resource_detail"),
    path("resources/<int:pk>/withdraw/", needs.resource_withdraw, name="resource_withdraw"),
    path("projects/", lists.project_list, name="project_list"),
    path("projects/new/", project_create.project_create, name="project_create"),
    path("projects/<int:pk>/", projects.project_detail, name="project_detail"),
    path("projects/<int:pk>/claim/", projects.claim_create, name="claim_create"),
    path("projects/<int:pk>/progress/", projects.progress_post, name="progress_post"),
    path("projects/<int:pk>/milestones/", projects.milestone_add, name="milestone_add"),
    path("projects/<int:pk>/milestones/<int:milestone_pk>/done/", projects.milestone_done, name="milestone_done"),
    path("projects/<int:pk>/resources/", projects.resource_commit, name="resource_commit"),
    path("projects/<int:pk>/claims/<int:claim_pk>/<str:action>/", projects.claim_action, name="claim_action"),
    path("projects/<int:pk>/<str:action>/", projects.project_action, name="project_action"),
]
