from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from ldnsite.records import RecordAdmin

from . import names
from .models import DisplayNameChange, User


class DisplayNameChangeInline(admin.TabularInline):
    """Earlier display names, newest first; a record, so nobody edits or deletes it here."""

    model = DisplayNameChange
    fk_name = "member"
    fields = ["old_name", "new_name", "changed_at", "changed_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = "Earlier display names"

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["display_name"]
    list_display = ["display_name", "email", "is_staff", "is_active", "date_joined"]
    search_fields = ["display_name", "email", "display_name_changes__old_name"]
    inlines = [DisplayNameChangeInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Public profile", {"fields": ["display_name", "is_team_account"]}),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "display_name", "password1", "password2"]}),
    ]

    def save_model(self, request, obj, form, change):
        """An administrator's rename is recorded like a member's own (User.clean checked the new name)."""
        old_name = form.initial.get("display_name") if change else None
        super().save_model(request, obj, form, change)
        if change and old_name and old_name != obj.display_name:
            DisplayNameChange.objects.create(
                member=obj,
                old_name=old_name,
                old_skeleton=names.skeleton(old_name),
                new_name=obj.display_name,
                changed_by=request.user,
            )


@admin.register(DisplayNameChange)
class DisplayNameChangeAdmin(RecordAdmin):
    """Moderators (view permission) look up who a name belonged to: search an earlier or a new name."""

    list_display = ["old_name", "new_name", "member", "changed_at"]
    search_fields = ["old_name", "new_name", "member__display_name"]
    list_select_related = ["member"]
    fields = ["member", "old_name", "new_name", "changed_at", "changed_by"]
    readonly_fields = fields
    date_hierarchy = "changed_at"
