from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from milepost.accounts.models import ApiToken, OrgUnit, User


@admin.register(User)
class MilepostUserAdmin(UserAdmin):
    list_display = ("username", "email", "first_name", "last_name", "role", "is_active")
    list_filter = ("role", "is_active", "is_staff")
    fieldsets = (*UserAdmin.fieldsets, ("Milepost", {"fields": ("role",)}))  # type: ignore[misc]
    add_fieldsets = (*UserAdmin.add_fieldsets, ("Milepost", {"fields": ("role",)}))

    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        # A log-in is the author of needs, ratings and status changes: deactivate it, or erase
        # the person's data (docs/privacy.md), which keeps those records whole.
        return False


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "kind", "parent")
    search_fields = ("name", "code")
    list_filter = ("kind",)
    raw_id_fields = ("parent",)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "scope", "created_at", "expires_at", "last_used_at")
    readonly_fields = ("digest", "prefix")
