from django.urls import path

from . import template_views, views

app_name = "evaluations"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("invitations/<int:invitation_id>/", views.SubmitView.as_view(), name="submit"),
    path("rounds/", views.RoundListView.as_view(), name="rounds"),
    path("rounds/new/", views.RoundCreateView.as_view(), name="round_create"),
    path("rounds/<int:round_id>/", views.RoundDetailView.as_view(), name="round_detail"),
    path("rounds/<int:round_id>/open/", views.RoundOpenView.as_view(), name="round_open"),
    path("rounds/<int:round_id>/appeal/", views.AppealCreateView.as_view(), name="appeal_create"),
    path("rounds/<int:round_id>/certificate.pdf", views.CertificateView.as_view(), name="certificate"),
    path("appeals/", views.AppealListView.as_view(), name="appeals"),
    path("appeals/<int:appeal_id>/decide/", views.AppealDecideView.as_view(), name="appeal_decide"),
    path("leniency/", views.LeniencyView.as_view(), name="leniency"),
    path("templates/", template_views.TemplateListView.as_view(), name="templates"),
    path("templates/<int:template_id>/", template_views.TemplateEditView.as_view(), name="template_edit"),
    path("credits/", template_views.CreditSetView.as_view(), name="credit_set"),
]
