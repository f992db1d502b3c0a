"""Django admin for the projects models: browsing and repair for superusers. The site's
pages (and their services: moderation, selection, grading, points) are where the work is
done, so rows produced by a workflow step — bids, submissions, ratings, selection
applications and outcomes, stage grades — are read-only here."""

from django.contrib import admin

from .cohort_models import (
    GraduationDesign,
    GraduationStageGrade,
    GraduationSubmission,
    GraduationTopic,
    OrderClass,
    OrderClassMember,
    SelectionApplication,
    SelectionOption,
    SelectionOutcome,
    SelectionRound,
)
from .models import (
    Bid,
    Milestone,
    MilestoneSubmission,
    Project,
    ProjectRating,
    Studio,
    StudioMember,
    Team,
    TeamMember,
    Venture,
    VentureMilestone,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Written only by the workflow's services (audited, with notifications and points)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class StudioMemberInline(admin.TabularInline):
    model = StudioMember
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Studio)
class StudioAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "skill_area", "major", "is_open", "created_at")
    list_filter = ("skill_area", "is_open")
    search_fields = ("code", "title", "title_en")
    inlines = [StudioMemberInline]


class TeamMemberInline(admin.TabularInline):
    model = TeamMember
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "studio", "created_by", "created_at")
    search_fields = ("name",)
    raw_id_fields = ("created_by",)
    list_select_related = ("studio", "created_by")
    inlines = [TeamMemberInline]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    readonly_fields = ("status", "reviewed_at")


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ("title", "enterprise", "status", "reward_points", "bid_deadline", "due_date", "created_at")
    list_filter = ("status",)
    search_fields = ("title", "title_en", "enterprise__name")
    raw_id_fields = ("enterprise", "created_by", "moderated_by", "selected_team", "source_case")
    readonly_fields = ("status", "selected_team", "delivered_at", "moderated_by")
    list_select_related = ("enterprise",)
    date_hierarchy = "created_at"
    inlines = [MilestoneInline]


@admin.register(Bid)
class BidAdmin(ReadOnlyAdmin):
    list_display = ("project", "team", "status", "created_at")
    list_filter = ("status",)
    list_select_related = ("project", "team")


@admin.register(MilestoneSubmission)
class MilestoneSubmissionAdmin(ReadOnlyAdmin):
    list_display = ("milestone", "original_name", "content_type", "size_bytes", "created_at")


@admin.register(ProjectRating)
class ProjectRatingAdmin(ReadOnlyAdmin):
    list_display = ("project", "score", "rated_by", "rated_at")


class VentureMilestoneInline(admin.TabularInline):
    model = VentureMilestone
    extra = 0


@admin.register(Venture)
class VentureAdmin(admin.ModelAdmin):
    list_display = ("team", "stage", "mentor", "registered_at")
    list_filter = ("stage",)
    raw_id_fields = ("team", "mentor")
    inlines = [VentureMilestoneInline]


@admin.register(OrderClass)
class OrderClassAdmin(admin.ModelAdmin):
    list_display = ("title", "enterprise", "major", "intake_year", "capacity", "status")
    list_filter = ("status", "intake_year", "major")
    search_fields = ("title", "title_en", "enterprise__name")
    raw_id_fields = ("enterprise", "created_by")
    filter_horizontal = ("courses", "mentors")


@admin.register(OrderClassMember)
class OrderClassMemberAdmin(ReadOnlyAdmin):
    list_display = ("order_class", "student", "round", "joined_at")
    list_select_related = ("order_class", "student")


@admin.register(GraduationTopic)
class GraduationTopicAdmin(admin.ModelAdmin):
    list_display = ("title", "major", "school_tutor", "enterprise_tutor", "capacity", "status")
    list_filter = ("status", "major")
    search_fields = ("title", "title_en")
    raw_id_fields = ("proposed_by", "enterprise", "source_project", "source_case", "school_tutor",
                     "enterprise_tutor", "reviewed_by", "course")
    readonly_fields = ("status", "reviewed_by")


class SelectionOptionInline(admin.TabularInline):
    model = SelectionOption
    extra = 0
    raw_id_fields = ("order_class", "topic")


@admin.register(SelectionRound)
class SelectionRoundAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "number", "major", "intake_year", "status", "apply_deadline")
    list_filter = ("kind", "status")
    raw_id_fields = ("previous", "created_by", "confirmed_by")
    readonly_fields = ("status", "computed_at", "confirmed_by", "confirmed_at")
    inlines = [SelectionOptionInline]


@admin.register(SelectionApplication)
class SelectionApplicationAdmin(ReadOnlyAdmin):
    list_display = ("round", "student", "option", "student_rank", "option_rank")
    list_filter = ("round",)


@admin.register(SelectionOutcome)
class SelectionOutcomeAdmin(ReadOnlyAdmin):
    list_display = ("round", "student", "option", "choice_rank")
    list_filter = ("round",)


class GraduationStageGradeInline(admin.TabularInline):
    model = GraduationStageGrade
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(GraduationDesign)
class GraduationDesignAdmin(admin.ModelAdmin):
    list_display = ("topic", "student", "stage", "final_score", "finished_at")
    list_filter = ("stage",)
    raw_id_fields = ("topic", "student")
    readonly_fields = ("stage", "final_score", "finished_at")
    inlines = [GraduationStageGradeInline]


@admin.register(GraduationSubmission)
class GraduationSubmissionAdmin(ReadOnlyAdmin):
    list_display = ("design", "stage", "original_name", "size_bytes", "created_at")
