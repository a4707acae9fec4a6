"""A text box whose `@Exact Name`s are stored as mentions (text.store), with names offered as one types."""

from django import forms
from django.urls import reverse_lazy

from .text import store

HELP = "To mention a member, type @ and their display name."


class MentionsField(forms.CharField):
    """A CharField that cleans to the text to save (mentions as ids); the form shows back what was typed.

    Its text box carries the address of the names to offer (data-mention-source), which
    static/js/mentions.js reads; without JavaScript, `@` and the exact name does the same."""

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.Textarea):
            attrs["data-mention-source"] = reverse_lazy("mentions:mentionable")
        return attrs

    def clean(self, value):
        return store(super().clean(value))
