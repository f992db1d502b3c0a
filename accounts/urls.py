from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/profile/", views.profile, name="profile"),
    path("accounts/request/", views.account_request, name="account_request"),
    path("accounts/request/sent/", views.account_request_done, name="account_request_done"),
    path("accounts/password/set/<uidb64>/<token>/", views.PasswordSetView.as_view(), name="password_set"),
    path("accounts/language/", views.set_language, name="set_language"),
    path("accounts/notifications/", views.notification_list, name="notifications"),
    path("accounts/notifications/read/", views.notification_read, name="notifications_read"),
    path("accounts/notifications/badge/", views.notification_badge, name="notifications_badge"),
]
