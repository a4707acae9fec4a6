"""The moderators' page of watched words (/moderation/watched-words/): list, add, change, deactivate, and the
test mode that shows what a pattern would have caught in recent posts before it is saved."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from ldnsite.moderation.decisions import back_to, decide
from ldnsite.privileges import privilege_required
from ldnsite.ratelimit import is_limited

from . import moderation, sources
from .forms import WatchedWordForm
from .matching import excerpt
from .models import WatchedWord, WatchedWordHit

PERMISSION = "watchwords.manage_watched_words"
# How far back the test mode looks, per kind of text, and how many catches it lists per kind.
RECENT = 500
SHOWN = 50
# Saves and tests per moderator per hour.
CHANGES_PER_HOUR = 60


@privilege_required(PERMISSION)
def word_list(request: HttpRequest) -> HttpResponse:
    words = WatchedWord.objects.select_related("changed_by")
    return render(request, "watchwords/word_list.html", {"words": words})


def _catches(form: WatchedWordForm) -> list[dict]:
    """What the form's pattern finds in the newest RECENT texts of every registered source."""
    matcher = form.matcher()
    found = []
    for source in sources.sources():
        caught, looked = [], 0
        for url, text in source.recent(RECENT):
            looked += 1
            match = matcher.search(text or "")
            if match:
                caught.append({"url": url, "excerpt": excerpt(text, match.start(), match.end())})
        found.append({"label": source.label, "looked": looked, "count": len(caught), "shown": caught[:SHOWN]})
    return found


def _edit_page(request: HttpRequest, form: WatchedWordForm, word: WatchedWord | None) -> HttpResponse:
    status = 200
    tested = None
    if request.method == "POST":
        if is_limited(f"watchwords:{request.user.pk}", limit=CHANGES_PER_HOUR, period=60 * 60):
            form.add_error(None, "You changed or tested watched words very often: please wait a few minutes. "
                                 "What you typed is still here.")  # fmt: skip
            status = 429
        elif not form.is_valid():
            status = 400
        elif "test" in request.POST:
            tested = _catches(form)
        else:
            before = moderation.state_of(word) if word is not None else ""
            saved = moderation.save_word(form.save(commit=False), by=request.user, before=before)
            messages.success(request, f"“{saved.label}” is saved{'' if saved.is_active else ' (inactive)'}.")
            return redirect("moderation:watchwords_list")
    context = {"form": form, "word": word, "tested": tested, "recent": RECENT, "shown": SHOWN}
    return render(request, "watchwords/word_form.html", context, status=status)


@privilege_required(PERMISSION)
@require_http_methods(["GET", "POST"])
def add_word(request: HttpRequest) -> HttpResponse:
    form = WatchedWordForm(request.POST or None)
    return _edit_page(request, form, None)


@privilege_required(PERMISSION)
@require_http_methods(["GET", "POST"])
def edit_word(request: HttpRequest, pk: int) -> HttpResponse:
    word = get_object_or_404(WatchedWord, pk=pk)
    form = WatchedWordForm(request.POST or None, instance=get_object_or_404(WatchedWord, pk=pk))
    return _edit_page(request, form, word)


@privilege_required(PERMISSION)
@require_POST
def review_hit(request: HttpRequest, pk: int) -> HttpResponse:
    """A moderator has looked at a match that was shown at once."""
    hit = get_object_or_404(WatchedWordHit, pk=pk)
    name = f"The match of “{hit.label}”"
    if decide(request, name, moderation.mark_reviewed, hit):
        messages.success(request, f"{name} is marked as reviewed.")
    return back_to("watched-words")
