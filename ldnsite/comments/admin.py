from django.contrib import admin

from ldnsite.mentions import text as mention_text
from ldnsite.moderation.actions import decide_after_reading
from ldnsite.privileges import privileges

from . import moderation
from .managers import MODERATE_PERMISSION
from .models import Comment, Report


def _read_comment(comment: Comment) -> dict:
    author = comment.author.display_name if comment.author else "a former member"
    return {
        "heading": f"Comment {comment.pk} by {author}",
        "status": comment.get_status_display().lower(),
        "text": mention_text.as_text(comment.body),  # mentions by name (ldnsite.mentions)
        "version": comment.version,
    }


def decision(name: str, transition, description: str, *, done: str, title: str, explanation: str, **kwargs):
    """An admin action that shows the selected comments in full first and decides on the versions read."""

    @admin.action(description=description, permissions=["moderate"])
    def action(modeladmin, request, queryset):
        return decide_after_reading(
            modeladmin, request, queryset, transition, done=done, title=title, explanation=explanation,
            button=title, read=_read_comment, **kwargs,
        )  # fmt: skip

    action.__name__ = name
    return action


class ReportInline(admin.TabularInline):
    model = Report
    extra = 0
    can_delete = False
    fields = ["reason", "note", "reporter", "created_at", "counts_toward_hiding", "resolved_at", "outcome"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """Moderators read comments here; every change of state goes through comments.moderation."""

    list_display = ["pk", "author", "status", "created_at", "thread"]
    list_filter = ["status"]
    list_select_related = ["author", "thread"]
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
        "reviewed_at",
        "version",
    ]
    fields = readonly_fields
    inlines = [ReportInline]
    actions = [
        decision("publish_held", moderation.publish, "Publish the selected held comments",
                 done="comment(s) published", title="Publish these comments",
                 explanation="Only held comments can be published; any others are left as they are."),
        decision("restore_hidden", moderation.restore, "Restore the selected hidden comments",
                 done="comment(s) restored", title="Restore these comments",
                 explanation="Hidden comments are shown again and their open reports are dismissed.",
                 reason="Reviewed in the admin"),
        decision("dismiss_reports", moderation.dismiss, "Dismiss the reports on the selected comments",
                 done="comment(s) kept, their reports dismissed",
                 title="Dismiss the reports on these comments",
                 explanation="The comments stay published and their open reports are closed as dismissed.",
                 reason="Reviewed in the admin: the comment keeps to the community guidelines."),
        decision("hide_published", moderation.hide, "Hide the selected comments for review",
                 done="comment(s) hidden", title="Hide these comments",
                 explanation="Published comments are hidden until a moderator decides on them.",
                 reason="Hidden by a moderator in the admin"),
        decision("remove_selected", moderation.remove, "Remove the selected comments",
                 done="comment(s) removed", title="Remove these comments",
                 explanation="Removed comments leave a placeholder, so replies keep their place.",
                 reason="Removed by a moderator in the admin"),
    ]  # fmt: skip

    def get_queryset(self, request):
        # "On <subject>" in each row: the subjects of a page of comments in one query per kind.
        return super().get_queryset(request).prefetch_related("thread__subject")

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_moderate_permission(self, request) -> bool:
        return privileges(request).has(MODERATE_PERMISSION)


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["comment", "reason", "reporter", "created_at", "counts_toward_hiding", "outcome"]
    list_filter = ["reason", "outcome", "counts_toward_hiding"]
    list_select_related = ["comment", "reporter"]
    readonly_fields = [
        "comment", "reporter", "reason", "note", "created_at", "counts_toward_hiding", "resolved_at",
        "outcome",
    ]  # fmt: skip

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
