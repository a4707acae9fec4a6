from django import forms

from ldnsite.watchwords.matching import Result, blocked_message, scan

from .models import MAX_COMMENT_LENGTH, Report


class WatchedBodyMixin:
    """Looks for watched words in the body: a blocked word refuses the text (kept in the form; the view
    logs the attempt); what else matched is in `watched`, for the transition to hold or flag the comment."""

    watched = Result()

    def clean(self):
        cleaned = super().clean()
        self.watched = scan(cleaned.get("body") or "")
        if self.watched.blocked:
            self.add_error("body", blocked_message(self.watched))
        return cleaned


class CommentForm(WatchedBodyMixin, forms.Form):
    body = forms.CharField(
        label="Your comment",
        max_length=MAX_COMMENT_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": MAX_COMMENT_LENGTH}),
        help_text=f"Plain text; links and simple Markdown work. Up to {MAX_COMMENT_LENGTH:,} characters. "
        "Please do not share anyone's personal details.",
        error_messages={
            "required": "Your comment is empty: write something before you post it.",
            "max_length": f"Your comment is too long: the limit is {MAX_COMMENT_LENGTH:,} characters "
            "(it has %(show_value)d).",
        },
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    token = forms.UUIDField(widget=forms.HiddenInput)
    subscribe = forms.BooleanField(required=False, label="E-mail me when someone replies in this discussion")


class EditCommentForm(WatchedBodyMixin, forms.Form):
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
