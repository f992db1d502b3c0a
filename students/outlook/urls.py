from django.urls import path

from . import views

urlpatterns = [
    path("outlook/", views.OutlookView.as_view(), name="outlook"),
    path("outlook/models/", views.OutlookAdminView.as_view(), name="outlook_admin"),
    path("outlook/models/retrain/", views.OutlookRetrainView.as_view(), name="outlook_retrain"),
]
