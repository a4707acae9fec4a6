from django import forms

from .models import User


class DisplayNameSignupForm(forms.Form):
    """Extra sign-up field for allauth: the public display name, chosen by the member."""

    display_name = forms.CharField(
        label="Public display name",
        max_length=User._meta.get_field("display_name").max_length,
        help_text="Shown next to what you write. It is not your e-mail address and can be a nickname.",
        validators=User._meta.get_field("display_name").validators,
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )

    def clean_display_name(self) -> str:
        name = self.cleaned_data["display_name"].strip()
        if User.objects.filter(display_name__iexact=name).exists():
            raise forms.ValidationError("That display name is already taken. Please choose another.")
        return name

    def signup(self, request, user: User) -> None:
        """Nothing left to do: the account adapter sets the display name before the first save."""
