from django.contrib import admin

from .models import Appeal, PracticeActivity, Result, Reward, Round, RubricTemplate, SubjectCredit


@admin.register(SubjectCredit)
class SubjectCreditAdmin(admin.ModelAdmin):
    """The credit-like weight of each subject type's results on the radar."""

    list_display = ["subject_kind", "credit"]


@admin.register(RubricTemplate)
class RubricTemplateAdmin(admin.ModelAdmin):
    list_display = ["family", "version", "name", "is_current", "excellent_threshold", "excellent_top_share"]
    list_filter = ["is_current"]
    readonly_fields = [f.name for f in RubricTemplate._meta.fields]  # edited through the versioning page

    def has_add_permission(self, request):
        return False


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["pk", "subject_title", "student", "status", "deadline"]
    list_filter = ["status", "subject_kind"]
    raw_id_fields = ["student", "organiser", "current_result", "template"]


@admin.register(Result)
class ResultAdmin(admin.ModelAdmin):
    """Results are immutable: readable here, never edited."""

    list_display = ["round", "version", "final", "created_at"]
    readonly_fields = [f.name for f in Result._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(Appeal)
admin.site.register(Reward)
admin.site.register(PracticeActivity)
