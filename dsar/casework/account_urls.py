"""Login and logout for caseworkers and staff, at /accounts/ (top-level names: the LOGIN_URL
setting and Django's admin refer to "login"). django-axes counts failed attempts on this view
through the authentication backend; see AXES_* in settings."""
from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="casework/login.html", next_page="casework:queue", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(next_page="login"), name="logout"),
]
