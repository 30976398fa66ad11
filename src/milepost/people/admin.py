from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from milepost.people.models import Assessment, Employee


@admin.register(Employee)
class EmployeeAdmin(admin.ModelAdmin):
    list_display = ("employee_id", "last_name", "first_name", "unit", "job_title", "is_active")
    list_select_related = ("unit",)
    search_fields = ("employee_id", "first_name", "last_name", "email", "job_title")
    list_filter = ("is_active", "unit__kind", "job_profile")
    raw_id_fields = ("manager", "unit", "job_profile", "user")

    def has_delete_permission(self, request: HttpRequest, obj: Employee | None = None) -> bool:
        # Deleting took their assessments with it, without trace: deactivate them, or erase
        # their personal data (docs/privacy.md), which keeps the figures.
        return False


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    """Assessments are append-only history: the admin can add and read, never edit."""

    list_display = ("employee", "competency", "kind", "level", "assessed_on", "assessed_by")
    list_select_related = ("employee", "competency", "assessed_by")
    list_filter = ("kind", "assessed_on")
    search_fields = ("employee__employee_id", "employee__last_name", "competency__name")
    raw_id_fields = ("employee", "competency", "assessed_by")
    date_hierarchy = "assessed_on"

    def has_change_permission(self, request: HttpRequest, obj: Assessment | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Assessment | None = None) -> bool:
        # Append-only history: a wrong rating is corrected by a new one (docs/reviews.md).
        return False
