from django.urls import path

from govcube.evaluation import views

app_name = "evaluation"
urlpatterns = [
    path("rate/<str:kind>/<int:pk>/", views.rate, name="rate"),
    path("rounds/", views.round_list, name="round_list"),
    path("rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/answer/", views.round_answer, name="round_answer"),
    path("rounds/<int:pk>/close/", views.round_close, name="round_close"),
]
