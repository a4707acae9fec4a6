from django import forms

from . import names, screening
from .models import User


def _screened(form: forms.Form, name: str) -> str:
    """The registered screens' verdicts on the name (ldnsite.watchwords: a blocked word refuses it; a held
    or flagged one lets it through, for the moderators to look at once saved)."""
    form.verdicts = screening.screen(name)
    refusals = [verdict.refusal for verdict in form.verdicts if verdict.refusal]
    if refusals:
        raise forms.ValidationError(refusals)
    return name


class DisplayNameField(forms.CharField):
    """A display name as it will be stored: tidied (names.tidy) before the length and character checks."""

    def __init__(self, **kwargs):
        model_field = User._meta.get_field("display_name")
        kwargs.setdefault("label", "Public display name")
        kwargs.setdefault("max_length", model_field.max_length)
        kwargs.setdefault("validators", model_field.validators)
        kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "nickname"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        return names.tidy(super().to_python(value))


class DisplayNameSignupForm(forms.Form):
    """Extra sign-up field for allauth: the public display name, chosen by the member."""

    display_name = DisplayNameField(
        help_text="Shown next to what you write. It is not your e-mail address and can be a nickname.",
    )
    verdicts: list = []

    def clean_display_name(self) -> str:
        name = _screened(self, self.cleaned_data["display_name"])
        if names.is_taken(name):
            raise forms.ValidationError(names.TAKEN)
        return name

    def signup(self, request, user: User) -> None:
        """Nothing left to do: the account adapter sets the display name before the first save."""


class DisplayNameChangeForm(forms.Form):
    """A member's new display name. Whether it is free is checked here for the message, and again by
    names.change_display_name (and the unique index) when it is saved."""

    display_name = DisplayNameField(
        label="New display name",
        help_text="Shown next to everything you write, including what you wrote before. You can change it "
        "once every 30 days. Moderators can see your earlier names.",
    )

    verdicts: list = []

    def __init__(self, *args, member: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member

    def clean_display_name(self) -> str:
        name = _screened(self, self.cleaned_data["display_name"])
        if name == self.member.display_name:
            raise forms.ValidationError("That is already your display name. Type the new name you want.")
        if names.is_taken(name, by=self.member):
            raise forms.ValidationError(names.TAKEN)
        return name
