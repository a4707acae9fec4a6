"""Admin pages for records: rows that are read, never written, in the admin (the moderation log, earlier
display names). Shared by the apps that keep such records, so that none imports another for it."""

from django.contrib import admin


class RecordAdmin(admin.ModelAdmin):
    """A record that is read, never written, in the admin: nobody adds, edits or deletes its rows here."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
