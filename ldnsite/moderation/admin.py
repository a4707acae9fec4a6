from django.contrib import admin

from .models import ModerationEvent


class RecordAdmin(admin.ModelAdmin):
    """A record that is read, never written, in the admin: nobody adds, edits or deletes its rows here."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ModerationEvent)
class ModerationEventAdmin(RecordAdmin):
    list_display = ["created_at", "action", "content_type", "object_id", "from_state", "to_state", "actor"]
    list_filter = ["action", "content_type"]
    list_select_related = ["actor", "content_type"]
    date_hierarchy = "created_at"
