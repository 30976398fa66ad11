from __future__ import annotations

from django.contrib import admin

from milepost.frameworks.models import (
    Competency,
    CompetencyLevel,
    Framework,
    JobProfile,
    JobProfileRequirement,
    ProficiencyScale,
    ScaleLevel,
)


class ScaleLevelInline(admin.TabularInline):
    model = ScaleLevel
    extra = 0


@admin.register(ProficiencyScale)
class ProficiencyScaleAdmin(admin.ModelAdmin):
    list_display = ["name", "min_level", "max_level"]
    search_fields = ["name"]
    inlines = [ScaleLevelInline]


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "source", "version", "scale", "updated_at"]
    list_filter = ["source"]
    search_fields = ["name", "code"]
    list_select_related = ["scale"]


class CompetencyLevelInline(admin.StackedInline):
    model = CompetencyLevel
    extra = 0


@admin.register(Competency)
class CompetencyAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "framework", "depth"]
    list_filter = ["kind", "framework"]
    search_fields = ["name", "code", "alt_labels"]
    list_select_related = ["framework"]
    raw_id_fields = ["parent"]
    readonly_fields = ["path", "depth"]
    inlines = [CompetencyLevelInline]
    show_full_result_count = False  # ESCO has ~14k rows; skip the extra count


@admin.register(CompetencyLevel)
class CompetencyLevelAdmin(admin.ModelAdmin):
    list_display = ["competency", "level", "title"]
    search_fields = ["competency__name", "title"]
    list_select_related = ["competency"]
    raw_id_fields = ["competency"]


class RequirementInline(admin.TabularInline):
    model = JobProfileRequirement
    extra = 0
    raw_id_fields = ["competency"]


@admin.register(JobProfile)
class JobProfileAdmin(admin.ModelAdmin):
    list_display = ["title", "code", "source", "is_active", "updated_at"]
    list_filter = ["source", "is_active"]
    search_fields = ["title", "code", "alt_titles"]
    inlines = [RequirementInline]


@admin.register(JobProfileRequirement)
class JobProfileRequirementAdmin(admin.ModelAdmin):
    list_display = ["job_profile", "competency", "required_level", "importance", "essential"]
    list_filter = ["essential", "importance"]
    search_fields = ["job_profile__title", "competency__name"]
    list_select_related = ["job_profile", "competency"]
    raw_id_fields = ["job_profile", "competency"]
