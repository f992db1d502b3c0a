from django.contrib import admin

from .models import Booking, Equipment, Room, ServiceRecord, Target


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ("year", "code", "value", "unit", "updated_at")
    list_filter = ("year", "unit")


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "seats", "weekly_hours", "is_active")


@admin.register(Equipment)
class EquipmentAdmin(admin.ModelAdmin):
    list_display = ("asset_code", "name", "room", "quantity", "status")
    list_filter = ("status",)


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ("room", "starts_at", "ends_at", "booked_by", "school_class", "studio")


@admin.register(ServiceRecord)
class ServiceRecordAdmin(admin.ModelAdmin):
    list_display = ("provided_on", "kind", "enterprise", "teacher", "title")
    list_filter = ("kind",)
