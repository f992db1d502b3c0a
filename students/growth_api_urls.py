from django.urls import path

from . import growth_api

urlpatterns = [
    path("rankings/", growth_api.RankingListApi.as_view(), name="students-rankings"),
    path("me/points/", growth_api.MyPointsApi.as_view(), name="students-my-points"),
]
