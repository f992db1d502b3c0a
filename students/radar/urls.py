from django.urls import path

from . import views

urlpatterns = [
    path("competences/", views.MyCompetencesView.as_view(), name="my_competences"),
    path("classes/", views.ClassListView.as_view(), name="class_list"),
    path("classes/<int:class_id>/competences/", views.ClassCompetencesView.as_view(), name="class_competences"),
    path("classes/<int:class_id>/competences/chart/", views.ClassChartFragmentView.as_view(), name="class_chart"),
    path("classes/<int:class_id>/competences/chart.<str:fmt>", views.ClassChartImageView.as_view(),
         name="class_chart_image"),
    path("<str:student_number>/competences/", views.StudentCompetencesView.as_view(), name="student_competences"),
    path("<str:student_number>/competences/chart/<str:kind>/", views.StudentChartFragmentView.as_view(),
         name="competences_chart"),
    path("<str:student_number>/competences/<str:kind>.<str:fmt>", views.StudentChartImageView.as_view(),
         name="competences_chart_image"),
]
