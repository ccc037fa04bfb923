from django.urls import path

from govcube.services import views

app_name = "services"

urlpatterns = [
    path("requests/new/", views.request_new, name="request_new"),
    path("requests/mine/", views.my_requests, name="my_requests"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("requests/<int:pk>/act/<slug:action>/", views.request_act, name="request_act"),
    path("requests/<int:pk>/messages/", views.request_message, name="request_message"),
    path("requests/<int:pk>/rate/", views.request_rate, name="request_rate"),
    path("requests/<int:pk>/extension/", views.request_extension, name="request_extension"),
    path("requests/<int:pk>/assign/", views.request_assign, name="request_assign"),
    path("requests/<int:pk>/escalate/", views.request_escalate, name="request_escalate"),
    path("queue/", views.queue, name="queue"),
    path("board/", views.board, name="board"),
    path("extensions/<int:pk>/decide/", views.extension_decide, name="extension_decide"),
    path("ratings/<int:pk>/review/", views.rating_review, name="rating_review"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/new/", views.item_create, name="item_create"),
    path("catalogue/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("catalogue/<int:pk>/levels/", views.item_levels, name="item_levels"),
]

# The KPI dashboard and the group service days keep their URL lists beside their views.
from govcube.services.views_dashboard import urlpatterns as dashboard_urls  # noqa: E402
from govcube.services.views_days import urlpatterns as day_urls  # noqa: E402

urlpatterns += dashboard_urls + day_urls
