from django import forms

from ldnsite.mentions.forms import HELP as MENTION_HELP
from ldnsite.mentions.forms import MentionsField
from ldnsite.watchwords.forms import WatchedFieldsMixin

from .models import MAX_COMMENT_LENGTH, Report


class CommentForm(WatchedFieldsMixin, forms.Form):
    # Cleans to the text as saved: `@Exact Name` becomes the member's id (ldnsite.mentions).
    body = MentionsField(
        label="Your comment",
        max_length=MAX_COMMENT_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": MAX_COMMENT_LENGTH}),
        help_text=f"Plain text; links and simple Markdown work. Up to {MAX_COMMENT_LENGTH:,} characters. "
        f"{MENTION_HELP} Please do not share anyone's personal details.",
        error_messages={
            "required": "Your comment is empty: write something before you post it.",
            "max_length": f"Your comment is too long: the limit is {MAX_COMMENT_LENGTH:,} characters "
            "(it has %(show_value)d).",
        },
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    token = forms.UUIDField(widget=forms.HiddenInput)
    subscribe = forms.BooleanField(required=False, label="E-mail me when someone replies in this discussion")


class EditCommentForm(WatchedFieldsMixin, forms.Form):
    body = CommentForm.base_fields["body"]


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label="What is wrong with this comment?",
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the reason that fits best."},
    )
    note = forms.CharField(
        label="Anything moderators should know (optional)",
        required=False,
        max_length=1_000,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 1_000}),
    )
