from django.urls import path

from . import views

app_name = "admin_portal"

urlpatterns = [
    path("", views.HomeView.as_view(), name="dashboard"),
    path("background-tasks/", views.BackgroundTasksView.as_view(), name="background_tasks"),
    path("figures/", views.SchoolDashboardView.as_view(), name="school_dashboard"),
    path("figures/kpi/<slug:code>/", views.KpiDetailView.as_view(), name="kpi_detail"),
    path("figures/export/<slug:table>.xlsx", views.ExportView.as_view(), name="export"),
    path("figures/report.pdf", views.ReportPdfView.as_view(), name="report_pdf"),
    path("targets/", views.TargetsView.as_view(), name="targets"),
    path("equipment/", views.EquipmentView.as_view(), name="equipment"),
    path("equipment/bookings/<int:pk>/cancel/", views.BookingCancelView.as_view(), name="booking_cancel"),
    path("services/", views.ServicesView.as_view(), name="services"),
    path("moderation/", views.ModerationView.as_view(), name="moderation"),
    path("audit-log/", views.AuditLogView.as_view(), name="audit_log"),
]
