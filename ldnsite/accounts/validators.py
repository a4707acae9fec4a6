import re

from django.core.exceptions import ValidationError

# Letters (any script), digits, spaces and a little punctuation; nothing that could pass for an address.
_DISPLAY_NAME = re.compile(r"^[\w][\w .'\-]*$")


def validate_display_name(value: str) -> None:
    name = value.strip()
    if len(name) < 2:
        raise ValidationError("Your display name needs at least two characters.")
    if "@" in name:
        raise ValidationError("A display name cannot contain “@”: it must not look like an e-mail address.")
    if not _DISPLAY_NAME.match(name):
        raise ValidationError(
            "Use letters, numbers, spaces, full stops, apostrophes or hyphens in your display name."
        )
