from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import AccountRequest, AuditLog, Membership, Notification, Organization, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "display_name", "role", "is_active", "last_login")
    list_filter = ("role", "is_active", "is_staff")
    search_fields = ("username", "display_name", "display_name_en", "email")
    fieldsets = BaseUserAdmin.fieldsets + (("Chanjiao", {"fields": ("role", "display_name", "display_name_en", "language", "phone")}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + (("Chanjiao", {"fields": ("role", "display_name")}),)


class MembershipInline(admin.TabularInline):
    model = Membership
    raw_id_fields = ("user",)
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "code")
    list_filter = ("kind",)
    search_fields = ("name", "name_en", "code")
    inlines = [MembershipInline]


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    list_display = ("created_at", "actor", "action", "target_type", "target_id")
    list_filter = ("action",)
    raw_id_fields = ("actor",)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "recipient", "title", "read_at")
    raw_id_fields = ("recipient",)


@admin.register(AccountRequest)
class AccountRequestAdmin(admin.ModelAdmin):
    """Read-only: requests are decided on the school's moderation page (accounts.services)."""

    list_display = ("created_at", "full_name", "email", "role", "organization_name", "status", "decided_by")
    list_filter = ("status", "role")
    search_fields = ("full_name", "email", "organization_name")
    raw_id_fields = ("decided_by", "user")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
