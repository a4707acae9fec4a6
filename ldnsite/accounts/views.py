from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from ldnsite.comments import subjects
from ldnsite.comments.models import Comment

from . import names, profiles
from .forms import DisplayNameChangeForm


def profile(request: HttpRequest, pk: int) -> HttpResponse:
    """A member's public page: display name, when they joined, their public comments and what the apps
    registered in `profiles` show under their name. Never the e-mail, nor anything written anonymously.

    Only a verified member with at least one public contribution has a page (staff accounts too): any other
    id answers 404, so the pages cannot be used to list accounts."""
    member = get_object_or_404(
        get_user_model()
        .objects.filter(is_active=True, emailaddress__primary=True, emailaddress__verified=True)
        .only("display_name", "date_joined"),
        pk=pk,
    )
    comments = subjects.under_their_name(Comment.objects.public().filter(author=member))
    comments = comments.with_subjects().order_by("-created_at", "-pk")
    page = Paginator(comments, 20).get_page(request.GET.get("page"))
    sections = [{"template": s.template, "items": list(s.items(member))} for s in profiles.sections()]
    if not page.paginator.count and not any(section["items"] for section in sections):
        raise Http404("No such member page.")
    return render(
        request, "accounts/profile.html", {"member": member, "page_obj": page, "sections": sections}
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def change_display_name(request: HttpRequest) -> HttpResponse:
    """The member's own display name: see it, change it (once every 30 days, names.CHANGE_INTERVAL)."""
    member = request.user
    form = DisplayNameChangeForm(request.POST or None, member=member)
    waiting_until = names.next_change_allowed_at(member)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                names.change_display_name(member, form.cleaned_data["display_name"], by=member)
            except names.NameRefused as refusal:
                form.add_error("display_name", str(refusal))
                status = 429 if waiting_until is not None else 400
            else:
                messages.success(request, f"Your display name is now “{form.cleaned_data['display_name']}”.")
                return redirect("account_display_name")
    return render(
        request,
        "account/display_name.html",
        {"form": form, "waiting_until": waiting_until, "member": member},
        status=status,
    )
