from django.urls import path

from . import api

urlpatterns = [
    path("auth/token/", api.TokenApi.as_view(), name="accounts-token"),
    path("me/", api.MeApi.as_view(), name="accounts-me"),
    path("me/language/", api.LanguageApi.as_view(), name="accounts-language"),
    path("notifications/", api.NotificationListApi.as_view(), name="accounts-notifications"),
    path("health/", api.HealthApi.as_view(), name="accounts-health"),
    path("notifications/read/", api.NotificationReadApi.as_view(), name="accounts-notifications-read"),
]
