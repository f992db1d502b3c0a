from django.contrib import admin

from .models import StudentProfile


@admin.register(StudentProfile)
class StudentProfileAdmin(admin.ModelAdmin):
    list_display = ("student_number", "user", "major", "school_class", "intake_year", "status")
    list_filter = ("major", "intake_year", "status")
    search_fields = ("student_number", "user__display_name", "user__username")
    raw_id_fields = ("user",)
