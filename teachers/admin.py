from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.services import audit_log_record

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
from .signals import grades_changed


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
    """A program course must build at least one competency of its program's major,
    with non-negative weights."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        positive = 0
        major_id = self.instance.program.major_id if self.instance.program_id else None
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            weight = form.cleaned_data.get("weight")
            competency = form.cleaned_data.get("competency")
            if weight is not None and weight < 0:
                form.add_error("weight", _("Weights cannot be negative."))
            if competency is not None and major_id is not None and competency.major_id != major_id:
                form.add_error("competency", _("This competency belongs to another major."))
            if weight and weight > 0:
                positive += 1
        if positive == 0:
            raise ValidationError(_("Every course must build at least one competency (a positive weight)."))


class WeightInline(admin.TabularInline):
    model = CourseCompetencyWeight
    formset = WeightInlineFormSet
    extra = 1
    min_num = 1

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "competency":
            kwargs["queryset"] = Competency.objects.select_related("major")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def _program_students_changed(program: Program) -> None:
    """Weights and credits change every denominator of the program: recompute its radars."""
    from accounts.models import User

    user_ids = list(User.objects.filter(student_profile__major_id=program.major_id,
                                        student_profile__intake_year=program.intake_year).values_list("pk", flat=True))
    if user_ids:
        grades_changed.send(sender=ProgramCourse, user_ids=user_ids)


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
        _program_students_changed(form.instance.program)


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
        _program_students_changed(form.instance)


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
    search_fields = ("student__username", "student__student_profile__student_number", "offering__course__code")
    readonly_fields = ("offering", "student", "score", "graded_by", "graded_at")
    inlines = [GradeChangeInline]

    def has_add_permission(self, request):
        return False


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
