"""Admin for clients. Journey templates are data an admin manages here; histories (owner and
stage changes, map versions, survey invitations and answers) are read-only: they record what
happened."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from milepost.clients.models import (
    Client,
    Contact,
    Interaction,
    JourneyStage,
    JourneyTemplate,
    MapReview,
    MapVersion,
    OwnerChange,
    StageChange,
    StageResponsibility,
    Stakeholder,
    StakeholderMap,
    SurveyInvitation,
    SurveyResponse,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """A history: shown, searched, never written from the admin."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# --- the journey template ------------------------------------------------------------------------


class JourneyStageInline(admin.TabularInline):
    model = JourneyStage
    extra = 0
    fields = ["position", "name", "exit_criteria", "usual_role"]
    ordering = ["position"]


@admin.register(JourneyTemplate)
class JourneyTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "is_default", "stage_count"]
    list_filter = ["is_default"]
    search_fields = ["name"]
    inlines = [JourneyStageInline]

    @admin.display(description="Stages")
    def stage_count(self, template: JourneyTemplate) -> int:
        return template.stages.count()


@admin.register(JourneyStage)
class JourneyStageAdmin(admin.ModelAdmin):
    list_display = ["name", "template", "position", "usual_role"]
    list_filter = ["template", "usual_role"]
    search_fields = ["name", "exit_criteria"]
    ordering = ["template", "position"]


# --- clients -------------------------------------------------------------------------------------


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ["name", "job_title", "email", "phone", "marketing_consent", "user", "is_active"]
    raw_id_fields = ["user"]


class OwnerChangeInline(ReadOnlyInline):
    model = OwnerChange
    fields = readonly_fields = ("changed_at", "previous_owner", "new_owner", "reason", "changed_by")


class StageChangeInline(ReadOnlyInline):
    model = StageChange
    fk_name = "client"
    fields = readonly_fields = ("changed_at", "from_stage", "to_stage", "note", "changed_by")


class StageResponsibilityInline(admin.TabularInline):
    model = StageResponsibility
    extra = 0
    fields = ["stage", "responsible"]
    raw_id_fields = ["responsible"]


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "sector", "owner", "stage", "health_score", "is_active"]
    list_filter = ["kind", "health_band", "is_active", "journey", "size_band"]
    search_fields = ["name", "sector", "contacts__name", "contacts__email"]
    raw_id_fields = ["owner", "unit"]
    # A web address typed without a scheme is read as https (Django 6's default, chosen now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    readonly_fields = [
        "last_contact_at",
        "health_score",
        "health_band",
        "health_parts",
        "health_checked_at",
        "created_at",
        "updated_at",
    ]
    list_select_related = ["owner", "stage"]
    inlines = [ContactInline, StageResponsibilityInline, StageChangeInline, OwnerChangeInline]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["name", "client", "job_title", "email", "marketing_consent", "is_active"]
    list_filter = ["marketing_consent", "is_active"]
    search_fields = ["name", "email", "client__name"]
    raw_id_fields = ["client", "user"]
    list_select_related = ["client"]


@admin.register(OwnerChange)
class OwnerChangeAdmin(ReadOnlyAdmin):
    list_display = ["client", "previous_owner", "new_owner", "changed_by", "changed_at"]
    search_fields = ["client__name", "reason"]
    date_hierarchy = "changed_at"
    list_select_related = ["client", "previous_owner", "new_owner", "changed_by"]


@admin.register(StageChange)
class StageChangeAdmin(ReadOnlyAdmin):
    list_display = ["client", "from_stage", "to_stage", "changed_by", "changed_at"]
    list_filter = ["to_stage"]
    search_fields = ["client__name", "note"]
    date_hierarchy = "changed_at"
    list_select_related = ["client", "from_stage", "to_stage", "changed_by"]


@admin.register(StageResponsibility)
class StageResponsibilityAdmin(admin.ModelAdmin):
    list_display = ["client", "stage", "responsible", "updated_at"]
    list_filter = ["stage"]
    search_fields = ["client__name", "responsible__username", "responsible__last_name"]
    raw_id_fields = ["client", "responsible"]
    list_select_related = ["client", "stage", "responsible"]


# --- interactions and maps -----------------------------------------------------------------------


@admin.register(Interaction)
class InteractionAdmin(admin.ModelAdmin):
    list_display = ["client", "kind", "occurred_at", "internal_only", "next_step_owner"]
    list_filter = ["kind", "internal_only"]
    search_fields = ["client__name", "summary", "next_step"]
    date_hierarchy = "occurred_at"
    raw_id_fields = ["client", "recorded_by", "next_step_owner", "contacts", "colleagues"]
    list_select_related = ["client", "next_step_owner"]


class StakeholderInline(admin.TabularInline):
    model = Stakeholder
    extra = 0
    fields = ["contact", "person", "body_name", "body_type", "power", "interest", "legitimate"]
    raw_id_fields = ["contact", "person"]


class MapVersionInline(ReadOnlyInline):
    model = MapVersion
    fields = readonly_fields = ("number", "created_at", "created_by", "signed_off_at", "note")


@admin.register(StakeholderMap)
class StakeholderMapAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "version", "review_by", "signed_off_at"]
    list_filter = ["status"]
    search_fields = ["client__name"]
    raw_id_fields = ["client", "owner"]
    inlines = [StakeholderInline, MapVersionInline]


@admin.register(Stakeholder)
class StakeholderAdmin(admin.ModelAdmin):
    list_display = ["__str__", "map", "power", "interest", "legitimate", "urgent"]
    list_filter = ["legitimate", "urgent", "shared_with_client", "body_type"]
    search_fields = ["body_name", "contact__name", "person__username", "wants"]
    raw_id_fields = ["map", "contact", "person"]
    list_select_related = ["contact", "person", "map__client"]


@admin.register(MapVersion)
class MapVersionAdmin(ReadOnlyAdmin):
    list_display = ["map", "number", "created_by", "created_at", "signed_off_at"]
    search_fields = ["map__client__name", "note"]


@admin.register(MapReview)
class MapReviewAdmin(ReadOnlyAdmin):
    list_display = ["version", "colleague", "answer", "asked_at", "answered_at"]
    list_filter = ["answer"]
    search_fields = ["colleague__username", "comment"]


# --- satisfaction --------------------------------------------------------------------------------


@admin.register(SurveyInvitation)
class SurveyInvitationAdmin(ReadOnlyAdmin):
    list_display = ["client", "contact", "sent_by", "sent_at", "expires_at", "answered_at"]
    search_fields = ["client__name", "contact__name", "contact__email"]
    date_hierarchy = "sent_at"
    exclude = ["token_digest"]  # nothing to learn from it, nothing to do with it
    list_select_related = ["client", "contact", "sent_by"]


@admin.register(SurveyResponse)
class SurveyResponseAdmin(ReadOnlyAdmin):
    list_display = ["client", "recommend", "answered_at"]
    list_filter = ["recommend"]
    search_fields = ["client__name", "comment"]
    date_hierarchy = "answered_at"
    list_select_related = ["client"]
