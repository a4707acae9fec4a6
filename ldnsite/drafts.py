"""Nothing a member typed is lost when their session runs out while they write.

A POST from a logged-out visitor to a members' form is kept in the (new, anonymous) session, which survives
logging in, and the text is shown at once so it can be copied; after logging in, the form opens filled in.
"""

from functools import wraps

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

SESSION_PREFIX = "draft:"
NOT_KEPT = {"csrfmiddlewaretoken", "password", "preview"}


def login_required_keeping_draft(view):
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if request.method != "POST":
            return redirect_to_login(request.get_full_path())
        draft = {key: request.POST.getlist(key) for key in request.POST if key not in NOT_KEPT}
        request.session[SESSION_PREFIX + request.path] = draft
        texts = [value for values in draft.values() for value in values if len(value) > 40]
        return render(
            request,
            "session_expired.html",
            {"texts": texts, "login_url": redirect_to_login(request.path).url},
            status=401,
        )

    return wrapped


def pop_draft_initial(request: HttpRequest, form_class: type[forms.BaseForm]) -> dict:
    """The kept draft for this page as a form's `initial`, once; {} when there is none."""
    draft = request.session.pop(SESSION_PREFIX + request.path, None)
    if not draft:
        return {}
    initial = {}
    for name, field in form_class.base_fields.items():
        if name not in draft:
            continue
        values = draft[name]
        initial[name] = values if isinstance(field, forms.MultipleChoiceField) else values[-1]
    return initial
