from django.contrib import admin

from .models import Competency, Major, SchoolClass, Term


class CompetencyInline(admin.TabularInline):
    model = Competency
    extra = 0


@admin.register(Major)
class MajorAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en")
    inlines = [CompetencyInline]


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ("code", "start_year", "number", "starts_on", "ends_on")


@admin.register(SchoolClass)
class SchoolClassAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "major", "intake_year", "head_teacher")
    list_filter = ("major", "intake_year")
    raw_id_fields = ("head_teacher",)
