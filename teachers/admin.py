from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from accounts.errors import ApplicationError
from accounts.services import audit_log_record

from . import roster
from .models import (
    Competency,
    Course,
    CourseCompetencyWeight,
    CourseOffering,
    Enrolment,
    GradeChange,
    Major,
    Program,
    ProgramCourse,
    SchoolClass,
    Term,
)
from .services import program_course_validate, program_students_notify


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


# --- programs, courses, weights, offerings, grades ------------------------------------



class WeightInlineFormSet(forms.BaseInlineFormSet):
    """The rules of services.program_course_validate (non-negative weights, competencies
    of the program's major, at least one positive weight), shown as form errors."""

    def clean(self):
        super().clean()
        if any(self.errors) or not self.instance.program_id:
            return
        weights, competency_majors = {}, {}
        for form in self.forms:
            data = form.cleaned_data
            if not data or data.get("DELETE") or data.get("competency") is None or data.get("weight") is None:
                continue
            weights[data["competency"].pk] = data["weight"]
            competency_majors[data["competency"].pk] = data["competency"].major_id
        try:
            program_course_validate(weights=weights, major_id=self.instance.program.major_id,
                                    competency_majors=competency_majors)
        except ApplicationError as exc:
            raise ValidationError(exc.message) from None


class WeightInline(admin.TabularInline):
    model = CourseCompetencyWeight
    formset = WeightInlineFormSet
    extra = 1
    min_num = 1

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "competency":
            kwargs["queryset"] = Competency.objects.select_related("major")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(ProgramCourse)
class ProgramCourseAdmin(admin.ModelAdmin):
    list_display = ("program", "course", "credits", "semester")
    list_filter = ("program__major", "program__intake_year", "semester")
    search_fields = ("course__code", "course__name", "course__name_en")
    list_select_related = ("program", "course")
    inlines = [WeightInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        audit_log_record(actor=request.user, action="program.course_set", target=form.instance)
        program_students_notify(program=form.instance.program)


class ProgramCourseInline(admin.TabularInline):
    model = ProgramCourse
    extra = 0
    fields = ("course", "credits", "semester")
    show_change_link = True  # weights are edited on the program course's own page
    autocomplete_fields = ("course",)


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ("name", "major", "intake_year")
    list_filter = ("major", "intake_year")
    inlines = [ProgramCourseInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        program_students_notify(program=form.instance)


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "major", "kind")
    list_filter = ("major", "kind")
    search_fields = ("code", "name", "name_en")


@admin.register(CourseOffering)
class CourseOfferingAdmin(admin.ModelAdmin):
    list_display = ("course", "term", "school_class", "teacher")
    list_filter = ("term", "school_class__major")
    search_fields = ("course__code", "course__name", "school_class__code")
    raw_id_fields = ("teacher",)
    list_select_related = ("course", "term", "school_class", "teacher")


class GradeChangeInline(admin.TabularInline):
    model = GradeChange
    extra = 0
    can_delete = False
    readonly_fields = ("previous_score", "new_score", "changed_by", "changed_at", "source", "reason")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    """Grades are entered in the gradebook (audited); here they are read-only."""

    list_display = ("offering", "student", "score", "graded_by", "graded_at")
    list_select_related = ("offering__course", "offering__term", "offering__school_class", "student", "graded_by")
    search_fields = ("student__username", "offering__course__code")
    readonly_fields = ("offering", "student", "score", "graded_by", "graded_at")
    inlines = [GradeChangeInline]

    def has_add_permission(self, request):
        return False

    def get_search_results(self, request, queryset, search_term):
        """Also find a student's enrolments by student number (from the roster)."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        user_ids = roster.user_ids_for_numbers(numbers=search_term.split()).values() if search_term else ()
        if user_ids:
            results |= queryset.filter(student_id__in=list(user_ids))
        return results, may_have_duplicates


@admin.register(GradeChange)
class GradeChangeAdmin(admin.ModelAdmin):
    list_display = ("enrolment", "previous_score", "new_score", "changed_by", "changed_at", "source")
    list_filter = ("source",)
    list_select_related = ("enrolment__offering__course", "enrolment__student", "changed_by")
    readonly_fields = [f.name for f in GradeChange._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
