from django.urls import path

from govcube.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.me, name="me"),
    path("tokens/", views.token_create, name="token_create"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/roles/<int:assignment_pk>/revoke/", views.role_revoke, name="role_revoke"),
    path("users/<int:pk>/unlock/", views.user_unlock, name="user_unlock"),
]
