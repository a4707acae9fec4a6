from django.contrib import admin
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

from .models import SitePage


@admin.register(SitePage)
class SitePageAdmin(admin.ModelAdmin):
    """Editors change a page's words; the set of pages is fixed by their addresses: no adding, no deleting."""

    formfield_overrides = {MarkdownxField: {"widget": AdminMarkdownxWidget}}
    list_display = ["title", "address", "updated_at", "updated_by"]
    list_select_related = ["updated_by"]
    fields = ["title", "address", "summary", "body", "updated_at", "updated_by"]
    readonly_fields = ["address", "updated_at", "updated_by"]

    @admin.display(description="address")
    def address(self, page: SitePage) -> str:
        return page.get_absolute_url()

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj: SitePage, form, change: bool) -> None:
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
