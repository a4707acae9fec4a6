from django.contrib import admin

from ldnsite.records import RecordAdmin

from .models import ModerationEvent


@admin.register(ModerationEvent)
class ModerationEventAdmin(RecordAdmin):
    list_display = ["created_at", "action", "content_type", "object_id", "from_state", "to_state", "actor"]
    list_filter = ["action", "content_type"]
    list_select_related = ["actor", "content_type"]
    date_hierarchy = "created_at"
