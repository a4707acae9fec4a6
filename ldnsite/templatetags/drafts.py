from django import template
from django.utils.html import format_html

from ldnsite.drafts import OWNER_FIELD, owner_token

register = template.Library()


@register.simple_tag(takes_context=True)
def draft_owner_field(context) -> str:
    """{% draft_owner_field %} in a members' form: whose text it is, should their session end before they
    send it (ldnsite.drafts). Empty for a visitor."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    return format_html('<input type="hidden" name="{}" value="{}">', OWNER_FIELD, owner_token(user))
