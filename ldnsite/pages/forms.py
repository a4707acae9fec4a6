import uuid

from django import forms


class ContactForm(forms.Form):
    TOPICS = [
        ("", "Choose a topic"),
        ("correction", "A mistake in an article or study summary"),
        ("moderation", "A decision by a moderator, or something that should be removed"),
        ("privacy", "My data or my account"),
        ("suggestion", "A study or topic the site should cover"),
        ("other", "Something else"),
    ]
    MESSAGE_MAX_LENGTH = 5_000

    name = forms.CharField(label="Your name (optional)", max_length=100, required=False, strip=True)
    email = forms.EmailField(
        label="Your e-mail address",
        max_length=254,
        help_text="So that an editor can reply. It is not shown anywhere on the site.",
        error_messages={
            "required": "Enter your e-mail address, so that we can reply.",
            "invalid": "Enter an e-mail address in the form name@example.org.",
        },
    )
    topic = forms.ChoiceField(
        label="What is it about?",
        choices=TOPICS,
        error_messages={"required": "Choose the topic that fits best."},
    )
    message = forms.CharField(
        label="Your message",
        max_length=MESSAGE_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": MESSAGE_MAX_LENGTH}),
        help_text=f"Up to {MESSAGE_MAX_LENGTH:,} characters. Please leave out details of your health that "
        "we do not need to answer you.",
        error_messages={
            "required": "Your message is empty: write what you would like to tell the editors.",
            "max_length": f"Your message is too long: the limit is {MESSAGE_MAX_LENGTH:,} characters "
            "(it has %(show_value)d).",
        },
    )
    # A field people never see (in a `hidden` block, so neither screen readers nor the keyboard reach it):
    # a form that fills it in is a robot's.
    website = forms.CharField(
        label="Leave this empty", required=False, max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )  # fmt: skip
    # One token per form shown: sending the same form twice sends one message.
    token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def topic_label(self) -> str:
        return dict(self.TOPICS)[self.cleaned_data["topic"]]

    @property
    def is_robot(self) -> bool:
        return bool(self.cleaned_data.get("website"))
