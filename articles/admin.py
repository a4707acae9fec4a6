from django import forms
from django.contrib import admin
from django.db import models
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

from ldnsite.choices import MSType
from ldnsite.moderation.actions import apply_transition

from . import moderation
from .models import Article, Resource, Study


class PublishingAdmin(admin.ModelAdmin):
    """Status changes only through the publish/unpublish transitions, never by editing the field."""

    formfield_overrides = {MarkdownxField: {"widget": AdminMarkdownxWidget}}
    readonly_fields = ["status", "published_at", "updated_at"]
    actions = ["publish_selected", "unpublish_selected"]
    list_filter = ["status"]

    @admin.action(description="Publish the selected entries", permissions=["change"])
    def publish_selected(self, request, queryset) -> None:
        apply_transition(self, request, queryset, moderation.publish, "published")

    @admin.action(description="Return the selected entries to draft", permissions=["change"])
    def unpublish_selected(self, request, queryset) -> None:
        apply_transition(self, request, queryset, moderation.unpublish, "returned to draft")


class ResourceInline(admin.TabularInline):
    model = Resource
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    extra = 1
    fields = ["position", "kind", "title", "url", "published_on", "note"]


@admin.register(Article)
class ArticleAdmin(PublishingAdmin):
    list_display = ["title", "status", "published_at", "last_reviewed_on", "author"]
    list_select_related = ["author"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["studies"]
    inlines = [ResourceInline]
    readonly_fields = [*PublishingAdmin.readonly_fields, "author"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body"]}),
        ("Evidence", {"fields": ["studies", "last_reviewed_on"]}),
        ("Publication", {"fields": ["status", "published_at", "updated_at", "author"]}),
    ]

    def save_model(self, request, obj: Article, form, change: bool) -> None:
        if not change:
            obj.author = request.user
        super().save_model(request, obj, form, change)


class StudyAdminForm(forms.ModelForm):
    populations = forms.MultipleChoiceField(
        choices=MSType.choices, widget=forms.CheckboxSelectMultiple, required=False, label="Populations"
    )
    checked_facts = forms.MultipleChoiceField(
        choices=Study.Fact.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Facts checked against the source",
        help_text="Tick only what you have confirmed in the paper or registry record; the rest is shown "
        "to readers as not yet checked.",
    )

    class Meta:
        model = Study
        fields = ["populations", "checked_facts"]  # the admin adds the rest from its fieldsets


@admin.register(Study)
class StudyAdmin(PublishingAdmin):
    form = StudyAdminForm
    list_display = ["__str__", "design", "participants_enrolled", "year", "status"]
    list_filter = ["status", "design"]
    search_fields = ["title", "authors", "doi", "pmid"]
    prepopulated_fields = {"slug": ["authors", "year"]}
    fieldsets = [
        ("Citation", {"fields": [
            "title", "slug", "authors", "journal", "year", "publication_date", "citation_details",
        ]}),
        ("Identifiers", {"fields": ["doi", "pmid", "registry_id"]}),
        ("Design and participants", {"fields": [
            "design", "populations", "setting", "participants_enrolled", "participants_completed",
        ]}),
        ("Intervention", {"fields": ["dose", "comparator", "duration"]}),
        ("Results", {"fields": [
            "outcomes_measured", "main_result", "adverse_events", "limitations", "funding",
        ]}),
        ("For readers", {"fields": ["plain_summary"]}),
        ("Checking", {"fields": ["checked_facts"]}),
        ("Publication", {"fields": ["status", "published_at", "updated_at"]}),
    ]  # fmt: skip
