from django.contrib import admin

from .models import DetectionJob, DetectorModel, Media, TrainingRun


@admin.register(DetectorModel)
class DetectorModelAdmin(admin.ModelAdmin):
    list_display = ["name", "version", "arch", "threshold", "is_active", "created_at"]


@admin.register(Media)
class MediaAdmin(admin.ModelAdmin):
    list_display = ["id", "owner", "kind", "original_name", "size_bytes", "created_at"]
    raw_id_fields = ["owner"]


@admin.register(DetectionJob)
class DetectionJobAdmin(admin.ModelAdmin):
    list_display = ["id", "requested_by", "status", "progress", "verdict", "score", "judged_by", "threshold", "created_at"]
    list_filter = ["status", "verdict"]
    raw_id_fields = ["media", "requested_by"]


@admin.register(TrainingRun)
class TrainingRunAdmin(admin.ModelAdmin):
    list_display = ["id", "name", "arch", "status", "progress", "created_at"]
