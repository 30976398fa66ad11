from __future__ import annotations

from django.contrib import admin

from milepost.catalogue.models import Course, LearningOutcome, Qualification, Track, TrackStep


class OutcomeInline(admin.TabularInline):
    model = LearningOutcome
    extra = 0
    autocomplete_fields = ["competency"]
    fields = ["competency", "raises_to_level", "description"]


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "modality", "provider_kind", "cost_per_person", "is_active"]
    list_filter = ["modality", "provider_kind", "is_active"]
    search_fields = ["code", "title", "summary"]
    filter_horizontal = ["prerequisites"]
    inlines = [OutcomeInline]


@admin.register(Qualification)
class QualificationAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "awarding_body", "level_framework", "level", "is_active"]
    list_filter = ["level_framework", "level", "funding_eligible", "is_active"]
    search_fields = ["code", "title", "awarding_body"]
    inlines = [OutcomeInline]


class TrackStepInline(admin.TabularInline):
    model = TrackStep
    extra = 0
    fields = ["position", "course", "qualification", "note"]


@admin.register(Track)
class TrackAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "job_profile", "enforce_order", "is_active"]
    list_filter = ["enforce_order", "is_active"]
    search_fields = ["code", "title"]
    filter_horizontal = ["competencies"]
    inlines = [TrackStepInline]
