from django.urls import path

from . import api

# included into enterprises/api_urls.py (namespace "api")
urlpatterns = [
    path("careers/destinations/", api.DestinationListApi.as_view(), name="careers-destinations"),
    path("careers/destinations/import/", api.DestinationImportApi.as_view(), name="careers-destinations-import"),
    path("careers/feedback/", api.FeedbackApi.as_view(), name="careers-feedback"),
    path("careers/demand-supply/", api.DemandSupplyApi.as_view(), name="careers-demand-supply"),
]
