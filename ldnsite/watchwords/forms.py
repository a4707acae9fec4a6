from django import forms

from .matching import Result, blocked_message, check_regex, compiled, scan
from .models import PATTERN_MAX_LENGTH, MatchType, WatchedWord

MAX_PHRASES = 50


class WatchedFieldsMixin:
    """For a member's form whose text fields watched words apply to (a comment, a topic):

        class TopicForm(WatchedFieldsMixin, forms.Form):
            watched_fields = ("title", "body")

    A blocked word refuses the text with a message naming what was found (on the field when there is one,
    else above the form), and the form keeps what was typed. What matched is in `form.watched` for the view:
    to log a refused attempt (`record(form.watched, where=..., member=...)`), or to pass to the transition
    that saves the text, which holds it for `watched.held` and logs the matches with the saved object."""

    watched_fields: tuple[str, ...] = ("body",)
    watched = Result()

    def clean(self):
        cleaned = super().clean()
        self.watched = scan(*(cleaned.get(name) or "" for name in self.watched_fields))
        if self.watched.blocked:
            field = self.watched_fields[0] if len(self.watched_fields) == 1 else None
            self.add_error(field, blocked_message(self.watched))
        return cleaned


class WatchedWordForm(forms.ModelForm):
    class Meta:
        model = WatchedWord
        fields = ["label", "match_type", "pattern", "action", "is_active"]
        labels = {
            "label": "What it finds, as members read it",
            "match_type": "How to match",
            "pattern": "Words, phrases or pattern",
            "action": "What happens when a text matches",
            "is_active": "Active",
        }
        help_texts = {
            "label": "Shown to members whose text is refused, and to moderators: for example "
            "“a phone number” or “selling LDN”.",
            "pattern": f"Words or phrases one a line, or one regular expression. Up to {PATTERN_MAX_LENGTH} "
            "characters. Use “Test” to see what it would have caught in recent posts before you save.",
            "is_active": "Untick to stop using it; its log stays.",
        }
        widgets = {
            "match_type": forms.RadioSelect,
            "action": forms.RadioSelect,
            "pattern": forms.Textarea(attrs={"rows": 5}),
        }
        error_messages = {
            "label": {"required": "Say what it finds, for example “a phone number”."},
            "pattern": {
                "required": "Give at least one word, phrase or pattern.",
                "max_length": f"Keep it to {PATTERN_MAX_LENGTH} characters (it has %(show_value)d).",
            },
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        # The server explains the limit rather than the browser cutting pasted text.
        self.fields["pattern"].widget.attrs.pop("maxlength", None)

    def clean(self):
        cleaned = super().clean()
        pattern = (cleaned.get("pattern") or "").strip()
        if not pattern or self.has_error("pattern"):
            return cleaned
        if cleaned.get("match_type") == MatchType.REGEX:
            problem = check_regex(pattern)
            if problem:
                self.add_error("pattern", problem)
        else:
            phrases = [line for line in pattern.splitlines() if line.strip()]
            if len(phrases) > MAX_PHRASES:
                self.add_error("pattern", f"Keep it to {MAX_PHRASES} words or phrases.")
        cleaned["pattern"] = pattern
        return cleaned

    def matcher(self):
        """The compiled pattern of a valid form: what the test mode runs."""
        return compiled(self.cleaned_data["match_type"], self.cleaned_data["pattern"])
