from django.contrib import admin

from ldnsite.moderation.actions import apply_transition

from . import moderation
from .models import Comment, Report


class ReportInline(admin.TabularInline):
    model = Report
    extra = 0
    can_delete = False
    fields = ["reason", "note", "reporter", "created_at", "resolved_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """Moderators read comments here; every change of state goes through comments.moderation."""

    list_display = ["pk", "author", "status", "created_at", "thread"]
    list_filter = ["status"]
    list_select_related = ["author", "thread__article", "thread__study"]
    search_fields = ["body"]
    readonly_fields = [
        "thread",
        "author",
        "parent",
        "root",
        "depth",
        "body",
        "status",
        "created_at",
        "edited_at",
    ]
    fields = readonly_fields
    inlines = [ReportInline]
    actions = ["publish_held", "restore_hidden", "hide_published", "remove_selected"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description="Publish the selected held comments", permissions=["moderate"])
    def publish_held(self, request, queryset) -> None:
        apply_transition(self, request, queryset, moderation.publish, "comment(s) published")

    @admin.action(description="Restore the selected hidden comments", permissions=["moderate"])
    def restore_hidden(self, request, queryset) -> None:
        apply_transition(
            self, request, queryset, moderation.restore, "comment(s) restored", reason="Reviewed in the admin"
        )

    @admin.action(description="Hide the selected comments for review", permissions=["moderate"])
    def hide_published(self, request, queryset) -> None:
        apply_transition(
            self,
            request,
            queryset,
            moderation.hide,
            "comment(s) hidden",
            reason="Hidden by a moderator in the admin",
        )

    @admin.action(description="Remove the selected comments", permissions=["moderate"])
    def remove_selected(self, request, queryset) -> None:
        apply_transition(
            self,
            request,
            queryset,
            moderation.remove,
            "comment(s) removed",
            reason="Removed by a moderator in the admin",
        )

    def has_moderate_permission(self, request) -> bool:
        return request.user.has_perm("comments.moderate_comment")


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["comment", "reason", "reporter", "created_at", "resolved_at"]
    list_filter = ["reason", "resolved_at"]
    list_select_related = ["comment", "reporter"]
    readonly_fields = ["comment", "reporter", "reason", "note", "created_at", "resolved_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
