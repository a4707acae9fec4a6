import re

from django.contrib.auth import get_user_model
from django.db.models.functions import Lower
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ldnsite.accounts.profiles import with_public_page
from ldnsite.accounts.verified import has_verified_email
from ldnsite.ratelimit import is_limited

from .text import NAME_MAX_LENGTH

OFFERED = 8
# One request per key typed (the script waits for a pause first): a fast typist stays well inside this.
RATE = (120, 60)


@never_cache
@require_GET
def mentionable(request: HttpRequest) -> JsonResponse:
    """The display names (never anything else) of up to OFFERED members that begin with ?q=, for members
    who may write. Only members with a public page are offered: their names are on the site already, so the
    list tells nobody who else has an account. Any member can still be mentioned by typing their exact
    name, as anyone can find out whether a name is taken by trying to sign up with it."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": "Log in to mention members."}, status=401)
    if not has_verified_email(request.user):
        return JsonResponse({"error": "Confirm your e-mail address to mention members."}, status=403)
    if is_limited(f"mentionable:{request.user.pk}", limit=RATE[0], period=RATE[1]):
        return JsonResponse({"error": "Too many requests: please wait a minute."}, status=429)
    # Spaces as in a stored name (one at a time); one at the end still counts: "ada " is not "Adam".
    query = re.sub(r"\s+", " ", request.GET.get("q", "")).lstrip()[:NAME_MAX_LENGTH].lower()
    if not query:
        return JsonResponse({"members": []})
    members = (
        get_user_model()
        .objects.annotate(lowered=Lower("display_name"))
        .filter(lowered__startswith=query)
        .exclude(pk=request.user.pk)
    )
    names = (
        with_public_page(members).filter(has_public_page=True).order_by("lowered", "pk")
        .values_list("display_name", flat=True)[:OFFERED]
    )  # fmt: skip
    return JsonResponse({"members": [{"name": name} for name in names]})
