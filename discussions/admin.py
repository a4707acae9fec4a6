from django.contrib import admin

from .models import Category


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    """Editors name and order the categories; topics are moderated from the queue and the topic page."""

    list_display = ["name", "slug", "order"]
    prepopulated_fields = {"slug": ["name"]}
