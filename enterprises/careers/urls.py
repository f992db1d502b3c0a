from django.urls import path

from . import views

# included into enterprises/urls.py (namespace "enterprises")
urlpatterns = [
    path("careers/", views.CareersAdminView.as_view(), name="careers_admin"),
    path("careers/import/", views.CareersImportView.as_view(), name="careers_import"),
    path("careers/export.<str:fmt>", views.CareersExportView.as_view(), name="careers_export"),
    path("careers/survey/", views.SurveyView.as_view(), name="careers_survey"),
    path("careers/survey/<int:round_id>/", views.SurveyFillView.as_view(), name="careers_survey_fill"),
    path("careers/feedback/", views.FeedbackHomeView.as_view(), name="careers_feedback"),
    path("careers/feedback/<str:student_number>/<int:round_id>/", views.FeedbackRateView.as_view(),
         name="careers_feedback_rate"),
    path("demand-supply/", views.DemandSupplyView.as_view(), name="careers_demand_supply"),
]
