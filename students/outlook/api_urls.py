from django.urls import path

from . import api

urlpatterns = [
    path("me/outlook/", api.MyOutlookApi.as_view(), name="students-my-outlook"),
    path("outlook/models/", api.OutlookModelListApi.as_view(), name="students-outlook-models"),
    path("outlook/models/retrain/", api.OutlookRetrainApi.as_view(), name="students-outlook-retrain"),
]
