from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db import models
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

from ldnsite.choices import MSType
from ldnsite.markdown import render
from ldnsite.moderation.actions import apply_transition

from . import moderation
from .models import Article, Resource, Study
from .references import cite


class EditorMarkdownWidget(AdminMarkdownxWidget):
    """markdownx's admin editor, with its preview labelled and stacked under the text box to fit the page, and
    Tab leaving the text box (ldnsite/static/js/admin-editor.js)."""

    template_name = "articles/widgets/markdown_editor.html"

    class Media:
        css = {"all": ["css/admin-editor.css"]}
        js = ["js/admin-editor.js"]


class PublishingAdmin(admin.ModelAdmin):
    """Status changes only through the publish/unpublish transitions, never by editing the field."""

    formfield_overrides = {MarkdownxField: {"widget": EditorMarkdownWidget}}
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

    def save_related(self, request, form, formsets, change: bool) -> None:
        """Once its studies are saved, warn about citations readers will not see (drafts, unknown slugs)."""
        super().save_related(request, form, formsets, change)
        article = form.instance
        cited = cite(render(article.body), article.studies.all(), for_editor=True)
        for problem in cited.problems:
            self.message_user(request, problem, messages.WARNING)


class StudyAdminForm(forms.ModelForm):
    certainty_reasons = forms.MultipleChoiceField(
        choices=Study.CertaintyReason.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Why certainty is lower",
        help_text="Tick what lowered your certainty in the result: readers see each reason explained.",
    )
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

    def clean(self):
        cleaned = super().clean()
        if "key_messages" in cleaned:
            study = Study(key_messages=cleaned["key_messages"])
            problem = study.key_messages_problem(published=self.instance.is_published)
            if problem:
                self.add_error("key_messages", problem)
        if cleaned.get("certainty_reasons") and not cleaned.get("certainty"):
            self.add_error("certainty", "Choose the certainty that these reasons lower.")
        return cleaned


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
        ("For readers", {"fields": ["plain_summary", "key_messages"]}),
        ("How sure can we be?", {"fields": ["certainty", "certainty_reasons", "certainty_explanation"]}),
        ("Checking", {"fields": ["checked_facts", "reviewed_by", "reviewed_at"]}),
        ("Publication", {"fields": ["status", "published_at", "updated_at"]}),
    ]  # fmt: skip

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "reviewed_by":
            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True, is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.action(description="Publish the selected entries", permissions=["change"])
    def publish_selected(self, request, queryset) -> None:
        ready = []
        for study in queryset:
            problem = study.key_messages_problem(published=True)
            if problem:
                self.message_user(request, f"“{study}” was not published: {problem}", messages.WARNING)
            else:
                ready.append(study.pk)
        apply_transition(self, request, queryset.filter(pk__in=ready), moderation.publish, "published")
