from django.contrib import admin

from .models import PointRule, StudentProfile


@admin.register(StudentProfile)
class StudentProfileAdmin(admin.ModelAdmin):
    list_display = ("student_number", "user", "major", "school_class", "intake_year", "status")
    list_filter = ("major", "intake_year", "status")
    search_fields = ("student_number", "user__display_name", "user__username")
    raw_id_fields = ("user",)


@admin.register(PointRule)
class PointRuleAdmin(admin.ModelAdmin):
    """The amounts of automatic points (grade bands, award levels); a change applies to
    grants made from then on."""

    list_display = ("source", "key", "amount", "active", "description")
    list_filter = ("source", "active")
    list_editable = ("amount", "active")
    search_fields = ("key", "description")
