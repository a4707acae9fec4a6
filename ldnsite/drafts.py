"""Nothing a member typed is lost when their session runs out while they write, and nobody else sees it.

A POST from a logged-out visitor to a members' form is kept in the (new, anonymous) session, which survives
logging in, and the text is shown at once so it can be copied; after logging in, the form opens filled in.
What is kept is bounded, short-lived and belongs to one member:

- only the form's own fields, each cut at the field's maximum length: a post of a megabyte keeps no more
  than the form could have accepted (the request body itself is capped: ldnsite.middleware);
- its owner is the member whose page the form came from (a signed id in the form, put there by
  ``{% draft_owner_field %}``), or nobody when the form carried none; the form is filled in only for the
  owner, and logging in as anyone else drops the draft (``keep_only_own_drafts``);
- it is kept for a day at most, checked on every read, and the anonymous session that holds it ends after
  that day too, instead of the usual two weeks.
"""

import contextlib
import time
from functools import wraps

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.core.exceptions import FieldDoesNotExist
from django.core.validators import MaxLengthValidator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control

from ldnsite.markdown import MAX_LENGTH as MARKDOWN_MAX_LENGTH

SESSION_PREFIX = "draft:"
# Set in an anonymous session whose lifetime was cut to a day for its draft: login gives the usual back.
SHORTENED_KEY = "draft-session-shortened"
OWNER_FIELD = "draft_owner"
OWNER_SALT = "ldnsite.drafts.owner"
ANONYMOUS_DRAFT_SECONDS = 24 * 60 * 60
NOT_KEPT = {"csrfmiddlewaretoken", "password", "preview", OWNER_FIELD}
# A field that is not a text box (a choice, a number, a token) never needs more than this; a text box whose
# form and model declare no maximum is cut at the longest text anyone writes here (an editor's article).
OTHER_FIELD_MAX_LENGTH = 200
TEXT_FIELD_MAX_LENGTH = MARKDOWN_MAX_LENGTH


def owner_token(user) -> str:
    """The signed id of the member a form page is for; sent back with the form if their session ends."""
    return signing.dumps(user.pk, salt=OWNER_SALT)


def _owner_of(request: HttpRequest) -> int | None:
    try:
        owner = signing.loads(request.POST.get(OWNER_FIELD, ""), salt=OWNER_SALT)
    except signing.BadSignature:
        return None
    return owner if isinstance(owner, int) else None


def _declared_max_length(field) -> int | None:
    limits = [v.limit_value for v in getattr(field, "validators", ()) if isinstance(v, MaxLengthValidator)]
    return getattr(field, "max_length", None) or (min(limits) if limits else None)


def field_max_length(form_class: type[forms.BaseForm], name: str) -> int:
    """The most a form field accepts, as the form or (for a model form) its model declares it."""
    field = form_class.base_fields[name]
    declared = _declared_max_length(field)
    model = getattr(getattr(form_class, "_meta", None), "model", None)
    if declared is None and model is not None:
        with contextlib.suppress(FieldDoesNotExist):  # a form field the model does not have
            declared = _declared_max_length(model._meta.get_field(name))
    if declared is not None:
        return declared
    return TEXT_FIELD_MAX_LENGTH if isinstance(field.widget, forms.Textarea) else OTHER_FIELD_MAX_LENGTH


def _capped_fields(request: HttpRequest, form_class: type[forms.BaseForm]) -> dict[str, list[str]]:
    """The posted values of the form's own fields, each cut at what the field accepts."""
    fields = {}
    for name, field in form_class.base_fields.items():
        if name in NOT_KEPT or name not in request.POST:
            continue
        max_length = field_max_length(form_class, name)
        values = request.POST.getlist(name)
        multiple = isinstance(field, forms.MultipleChoiceField)
        values = values[: len(field.choices)] if multiple else values[-1:]
        fields[name] = [value[:max_length] for value in values]
    return fields


def login_required_keeping_draft(form_class: type[forms.BaseForm]):
    """login_required for a members' form view; a logged-out POST keeps what was typed (see above)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.user.is_authenticated:
                return view(request, *args, **kwargs)
            if request.method != "POST":
                return redirect_to_login(request.get_full_path())
            request.session[SESSION_PREFIX + request.path] = {
                "owner": _owner_of(request),
                "saved_at": time.time(),
                "fields": _capped_fields(request, form_class),
            }
            if request.session.get_expiry_age() > ANONYMOUS_DRAFT_SECONDS:
                request.session.set_expiry(ANONYMOUS_DRAFT_SECONDS)
                request.session[SHORTENED_KEY] = True
            # The page shows everything that was sent, uncut, so that nothing is lost even past a limit.
            texts = [
                value
                for key in request.POST
                if key not in NOT_KEPT
                for value in request.POST.getlist(key)
                if len(value) > 40
            ]
            response = render(
                request,
                "session_expired.html",
                {"texts": texts, "login_url": redirect_to_login(request.path).url},
                status=401,
            )
            patch_cache_control(response, private=True, no_cache=True, no_store=True)
            return response

        return wrapped

    return decorator


def _is_usable(draft, user) -> bool:
    return (
        isinstance(draft, dict)
        and isinstance(draft.get("fields"), dict)
        and draft.get("owner") is not None
        and draft.get("owner") == user.pk
        and time.time() - draft.get("saved_at", 0) < ANONYMOUS_DRAFT_SECONDS
    )


def pop_draft_initial(request: HttpRequest, form_class: type[forms.BaseForm]) -> dict:
    """The kept draft for this page as a form's `initial`, once, for the member who typed it; {} otherwise."""
    draft = request.session.pop(SESSION_PREFIX + request.path, None)
    if not _is_usable(draft, request.user):
        return {}
    initial = {}
    for name, field in form_class.base_fields.items():
        values = draft["fields"].get(name)
        if not values:
            continue
        initial[name] = values if isinstance(field, forms.MultipleChoiceField) else values[-1]
    return initial


def keep_only_own_drafts(request: HttpRequest, user) -> None:
    """At login: drop the session's drafts that are not this member's (or too old), and give the session
    its usual lifetime back if a draft had cut it to a day."""
    session = request.session
    for key in [key for key in session.keys() if key.startswith(SESSION_PREFIX)]:  # noqa: SIM118 - no __iter__
        if not _is_usable(session[key], user):
            del session[key]
    if session.pop(SHORTENED_KEY, False):
        session.set_expiry(None)
