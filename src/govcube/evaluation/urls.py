from django.urls import path

from govcube.evaluation import views

app_name = "evaluation"
urlpatterns = [
    path("rate/<str:kind>/<int:pk>/", views.rate, name="rate"),
]
