from django.urls import path

from . import api

urlpatterns = [
    path("rankings/", api.RankingListApi.as_view(), name="students-rankings"),
]
