"""Forms for discussions. They only validate; views call discussions.moderation to change anything."""

import uuid

from django import forms

from ldnsite.comments.models import Report
from ldnsite.mentions.forms import MentionsField

from .models import BODY_MAX_LENGTH, TITLE_MAX_LENGTH, Category

# The list's orders (?sort=), the first the default; the page cache allows exactly these (caching.py).
SORTS = {"activity": "Newest activity first", "helpful": "Most helpful first"}


class TopicForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=TITLE_MAX_LENGTH,
        strip=True,
        help_text=f"Up to {TITLE_MAX_LENGTH} characters, for example “Vivid dreams in the first week”.",
        error_messages={
            "required": "Give your topic a short title.",
            "max_length": f"Keep the title to {TITLE_MAX_LENGTH} characters (it has %(show_value)d).",
        },
    )
    category = forms.ModelChoiceField(
        label="Category",
        queryset=Category.objects.all(),
        to_field_name="slug",
        empty_label="Choose…",
        error_messages={
            "required": "Choose the category your topic fits best.",
            "invalid_choice": "Choose one of the categories in the list.",
        },
    )
    body = MentionsField(
        label="What would you like to discuss?",
        max_length=BODY_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=f"Up to {BODY_MAX_LENGTH:,} characters. Simple Markdown works: *italic*, **bold**, "
        "lists with “-”. Everyone can read what you write here: please leave out names, addresses and phone "
        "numbers.",
        error_messages={
            "required": "Your topic is empty: write what you would like to discuss.",
            "max_length": f"Your text is too long: the limit is {BODY_MAX_LENGTH:,} characters "
            "(it has %(show_value)d). Please shorten it.",
        },
    )
    # Sent back with the form: the same form sent twice makes one topic. A missing or mangled token gets a
    # fresh one rather than an error the member could do nothing about.
    token = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        # The browser must not cut pasted text silently; the server explains limits.
        self.fields["title"].widget.attrs.pop("maxlength", None)
        self.fields["body"].widget.attrs.pop("maxlength", None)

    def clean_token(self) -> uuid.UUID:
        try:
            return uuid.UUID(self.cleaned_data["token"])
        except ValueError:
            return uuid.uuid4()


class TopicReportForm(forms.Form):
    reason = forms.ChoiceField(
        label="What is wrong with this topic?",
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the reason that fits best."},
    )
    note = forms.CharField(
        label="Anything moderators should know (optional)",
        required=False,
        max_length=1_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Keep the note to 1,000 characters (it has %(show_value)d)."},
    )


class MoveForm(forms.Form):
    category = forms.ModelChoiceField(
        label="Move to", queryset=Category.objects.all(), to_field_name="slug", empty_label=None
    )
