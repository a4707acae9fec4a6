"""Template helpers for the account pages (allauth's element templates in templates/allauth/elements/).

allauth's ``{% element field %}`` takes plain attributes (name, id, type, value, required...). Working them
out from a Django bound field in template language alone gets the awkward cases wrong (an e-mail field that
is a TextInput with ``type="email"`` in its attrs, passwords that must never be echoed back, checkboxes),
so ``field_spec`` does it in Python and ``fields.html`` passes the result on.
"""

from django import forms, template

register = template.Library()

# Widget attributes that field.html knows how to output. Anything else (allauth's inline "style" on the
# honeypot, for one) is dropped on purpose: the Content-Security-Policy forbids inline styles.
_PASSED_THROUGH = ("autocomplete", "placeholder", "maxlength", "minlength", "tabindex", "inputmode", "rows")


@register.simple_tag
def field_spec(bound_field: forms.BoundField) -> dict:
    """The attributes of allauth's ``field`` element for one bound field of a Django form."""
    widget = bound_field.field.widget
    attrs = bound_field.build_widget_attrs(dict(widget.attrs))
    if isinstance(widget, forms.Textarea):
        input_type = "textarea"
    elif isinstance(widget, forms.CheckboxInput):
        input_type = "checkbox"
    else:
        input_type = attrs.get("type") or getattr(widget, "input_type", None) or "text"

    value = bound_field.value()
    checked = False
    if input_type == "checkbox":
        checked = bool(widget.check_test(value))
        value = None
    elif input_type == "password" and not getattr(widget, "render_value", False):
        value = None  # never send a typed password back to the browser
    elif value is not None:
        value = widget.format_value(value)

    spec = {
        "name": bound_field.html_name,
        "id": bound_field.auto_id or None,
        "type": input_type,
        "value": value,
        "checked": checked,
        "required": bool(attrs.get("required")),
        "disabled": bool(attrs.get("disabled")),
        "readonly": bool(attrs.get("readonly")),
    }
    for name in _PASSED_THROUGH:
        spec[name] = attrs.get(name)
    return spec


@register.filter
def fields_with_errors(form: forms.BaseForm) -> list[forms.BoundField]:
    """The visible fields of ``form`` that have errors, in form order (for the list at the top of a form)."""
    return [bound_field for bound_field in form.visible_fields() if bound_field.errors]
