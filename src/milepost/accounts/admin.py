from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from milepost.accounts.models import ApiToken, OrgUnit, User


@admin.register(User)
class MilepostUserAdmin(UserAdmin):
    list_display = ("username", "email", "first_name", "last_name", "role", "is_active")
    list_filter = ("role", "is_active", "is_staff")
    fieldsets = (*UserAdmin.fieldsets, ("Milepost", {"fields": ("role",)}))  # type: ignore[misc]
    add_fieldsets = (*UserAdmin.add_fieldsets, ("Milepost", {"fields": ("role",)}))


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
