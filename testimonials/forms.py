"""Forms for member experiences. They only validate; views call testimonials.moderation to change anything."""

import uuid
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import get_text_list
from markdownx.widgets import MarkdownxWidget

from ldnsite.choices import MSType
from ldnsite.watchwords.matching import Result, blocked_message, scan
from ldnsite.watchwords.models import Action

from .models import (
    CONSENT_TEXT,
    CONSENT_VERSION,
    DOSE_MAX_MG,
    DOSE_MIN_MG,
    NARRATIVE_MAX_LENGTH,
    WATCHED_FIELDS,
    Change,
    DisplayAs,
    SideEffect,
    Testimonial,
    TestimonialContent,
    TimeOnLDN,
)

DOSE_MESSAGE = (
    f"Enter your LDN dose in milligrams a day, as a number between {DOSE_MIN_MG} and {DOSE_MAX_MG:.0f} "
    "with at most two decimals, for example 4.5."
)
DOSE_ERROR_CODES = (
    "invalid",
    "min_value",
    "max_value",
    "max_digits",
    "max_decimal_places",
    "max_whole_digits",
)
DECLARATION_TEXT = (
    "I am 18 or older and this is my own experience, or that of the person with MS I care for, told with "
    "their agreement"
)


class DoseField(forms.DecimalField):
    """Accepts what people type: "4,5", "4.5 mg", " 3 ". Anything else gets one clear message."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().lower().removesuffix("mg").strip().replace(",", ".")
        try:
            return super().to_python(value)
        except ValidationError as exc:
            raise ValidationError(DOSE_MESSAGE, code="invalid") from exc

    def validate(self, value):
        super().validate(value)
        if value is not None and not value.is_finite():
            raise ValidationError(DOSE_MESSAGE, code="invalid")


class TestimonialForm(forms.ModelForm):
    """The content of a member experience, for a new one and for edits."""

    dose_mg = DoseField(
        label="Your LDN dose, in milligrams a day",
        min_value=DOSE_MIN_MG,
        max_value=DOSE_MAX_MG,
        max_digits=4,
        decimal_places=2,
        help_text=f"A number between {DOSE_MIN_MG} and {DOSE_MAX_MG:.0f}, for example 4.5. "
        "If your dose changed, give the one you take now (or took last).",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "class": "input-short"}),
        error_messages={
            **dict.fromkeys(DOSE_ERROR_CODES, DOSE_MESSAGE),
            "required": "Enter your LDN dose in milligrams a day, for example 4.5.",
        },
    )
    side_effects = forms.MultipleChoiceField(
        label="Side effects you noticed",
        choices=SideEffect.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick all that apply.",
        error_messages={"invalid_choice": "Choose side effects from the list, or describe them below."},
    )
    publish_anyway = forms.BooleanField(
        label="Publish it anyway, I understand that anyone can read these details",
        required=False,
    )

    class Meta:
        model = Testimonial
        fields = TestimonialContent.CONTENT_FIELDS
        labels = {
            "title": "A short title for your experience",
            "ms_type": "Your type of MS",
            "time_on_ldn": "How long you have taken LDN",
            "change": "Overall, what changed for you on LDN?",
            "side_effects_other": "Other side effects (optional)",
            "other_treatments": "Other MS treatments you take or took at the same time (optional)",
            "narrative": "Your experience, in your own words",
            "display_as": "Show me as",
        }
        help_texts = {
            "title": "Up to 120 characters, for example “Better sleep, no change in walking”.",
            "time_on_ldn": "If you have stopped, how long you took it.",
            "side_effects_other": "Up to 200 characters.",
            "other_treatments": "For example a disease-modifying therapy, vitamin D or physiotherapy. "
            "Up to 300 characters.",
            "narrative": f"Up to {NARRATIVE_MAX_LENGTH:,} characters. Simple Markdown works: *italic*, "
            "**bold**, lists with “-”. Please leave out names, addresses, phone numbers and links: "
            "everyone can read what you write here.",
            "display_as": "Your e-mail address is never shown.",
        }
        widgets = {
            "title": forms.TextInput(),
            "change": forms.RadioSelect,
            "display_as": forms.RadioSelect,
            "side_effects_other": forms.TextInput(),
            "other_treatments": forms.TextInput(),
            "narrative": MarkdownxWidget(attrs={"rows": 14}),
        }
        error_messages = {
            "title": {
                "required": "Give your experience a short title.",
                "max_length": "Keep the title to 120 characters (it has %(show_value)d).",
            },
            "ms_type": {"required": "Choose your type of MS, or “MS type not specified”."},
            "time_on_ldn": {"required": "Choose how long you have taken LDN."},
            "change": {
                "required": "Choose what changed for you overall, from “Much worse” to “Much better”."
            },
            "side_effects_other": {
                "max_length": "Keep other side effects to 200 characters (this has %(show_value)d)."
            },
            "other_treatments": {
                "max_length": "Keep other treatments to 300 characters (this has %(show_value)d)."
            },
            "narrative": {
                "required": "Tell your experience in your own words: this box is empty.",
                "max_length": f"Your text is too long: the limit is {NARRATIVE_MAX_LENGTH:,} characters "
                "(it has %(show_value)d). Please shorten it.",
            },
            "display_as": {"required": "Choose how your name is shown."},
        }

    def __init__(self, *args, member=None, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.risk_signals: list[str] = []
        self.watched = Result()
        dose = self.initial.get("dose_mg")
        if isinstance(dose, Decimal):  # "4.5", not the stored "4.50"
            self.initial["dose_mg"] = format(dose.normalize(), "f")
        # Title and short fields: the browser must not cut pasted text silently; the server explains limits.
        for name in ("title", "side_effects_other", "other_treatments"):
            self.fields[name].widget.attrs.pop("maxlength", None)
        self.fields["ms_type"].choices = [("", "Choose…"), *MSType.choices]
        self.fields["time_on_ldn"].choices = [("", "Choose…"), *TimeOnLDN.choices]
        self.fields["change"].choices = Change.choices
        name = member.display_name if member is not None else "my display name"
        self.fields["display_as"].choices = [
            (
                DisplayAs.MS_TYPE,
                "“A member with …” and my type of MS, for example “A member with relapsing-remitting MS”",
            ),
            (DisplayAs.DISPLAY_NAME, f"My display name, “{name}”, linked to my public profile"),
        ]

    def clean_side_effects(self) -> list[str]:
        chosen = self.cleaned_data["side_effects"]
        if SideEffect.NONE in chosen and len(chosen) > 1:
            raise ValidationError(
                "You ticked “No side effects” and also a side effect: please untick one of them."
            )
        return chosen

    def clean(self):
        cleaned = super().clean()
        # The same fields the moderator's view of risk_signals looks at. Blocked words refuse the text (the
        # view logs the attempt); flagged ones (contact details and links by default) ask the author to
        # confirm; held ones say nothing here: every story waits for a moderator, who sees them.
        self.watched = scan(*(cleaned.get(name) or "" for name in WATCHED_FIELDS))
        if self.watched.blocked:
            self.add_error(None, blocked_message(self.watched))
        self.risk_signals = self.watched.labels(Action.FLAG)
        if self.risk_signals and not cleaned.get("publish_anyway"):
            self.add_error(
                "publish_anyway",
                f"Your text seems to contain {get_text_list(self.risk_signals, 'and')}: remove "
                f"{'it' if len(self.risk_signals) == 1 else 'them'}, or tick “Publish it anyway”.",
            )
        return cleaned

    def error_links(self) -> list[tuple[str, str]]:
        """(the id to jump to, the message) for each field's error: the summary at the top of the page."""
        links = []
        for field in self:
            anchor = f"{field.auto_id}_0" if field.use_fieldset else field.auto_id
            links.extend((anchor, str(error)) for error in field.errors)
        return links

    def content(self) -> dict:
        """The cleaned content fields, ready for moderation.submit() and moderation.edit()."""
        return {name: self.cleaned_data[name] for name in TestimonialContent.CONTENT_FIELDS}


class SubmitTestimonialForm(TestimonialForm):
    """A new experience: the content, plus consent, the declaration and a token against double submits."""

    written_as = forms.ChoiceField(
        label="I am writing",
        choices=[
            ("self", "As the person with MS"),
            ("carer", "As a carer, about the person with MS I look after"),
        ],
        initial="self",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether you write as the person with MS or as a carer."},
    )
    declaration = forms.BooleanField(
        label=DECLARATION_TEXT,
        error_messages={
            "required": "Please confirm that you are 18 or older and that this is your own experience, or "
            "that of the person you care for, told with their agreement."
        },
    )
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        help_text=f"Consent wording version {CONSENT_VERSION}. Without it we cannot publish your experience.",
        error_messages={
            "required": "Please tick the consent box: we can only publish your experience with your "
            "explicit consent."
        },
    )
    # Sent back with the form: the same form sent twice makes one testimonial. A missing or mangled token
    # gets a fresh one rather than an error the member could do nothing about.
    token = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def clean_token(self) -> uuid.UUID:
        try:
            return uuid.UUID(self.cleaned_data["token"])
        except ValueError:
            return uuid.uuid4()

    @property
    def is_carer(self) -> bool:
        return self.cleaned_data.get("written_as") == "carer"


# The list's orders (?sort=), the first the default; the page cache allows exactly these (caching.py).
SORTS = {"newest": "Newest first", "helpful": "Most helpful first"}


class TestimonialFilterForm(forms.Form):
    """The GET filters on the list page. Unknown values are ignored, never an error."""

    # Not required: a reader may choose one filter, both or neither (the browser would refuse the others).
    ms_type = forms.ChoiceField(
        label="Type of MS", choices=[("", "Any type of MS"), *MSType.choices], required=False
    )
    change = forms.ChoiceField(
        label="What changed", choices=[("", "Any change"), *Change.choices], required=False
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    @classmethod
    def from_query(cls, query) -> tuple["TestimonialFilterForm", dict[str, str]]:
        """The filters that hold a known value, and an unbound form showing them as selected."""
        filters = {}
        for name, field in cls.base_fields.items():
            value = query.get(name, "")
            if value and value in dict(field.choices):
                filters[name] = value
        return cls(initial=filters), filters
