"""The watched words' section of the moderators' queue: matches in texts that were shown at once (flagged
comments, display names), until a moderator marks them reviewed; and the moderators' page of words."""

from django.http import HttpRequest
from django.urls import path

from ldnsite.moderation import queue as moderator_queue
from ldnsite.moderation.queue import Section, Waiting, first_and_total

from . import views
from .models import WatchedWordHit


def matches_to_review(request: HttpRequest) -> Waiting:
    waiting = WatchedWordHit.objects.filter(needs_review=True, reviewed_at__isnull=True).select_related(
        "member"
    )
    hits, total = first_and_total(waiting.order_by("created_at", "pk"))
    return Waiting(total, {"hits": hits})


def register() -> None:
    moderator_queue.register(
        Section(
            key="watched-words",
            label="Watched words: matches to look at",
            permission=views.PERMISSION,
            template="watchwords/queue/matches.html",
            waiting=matches_to_review,
            order=600,
        ),
        urls=[
            path("watched-words/", views.word_list, name="watchwords_list"),
            path("watched-words/new/", views.add_word, name="watchwords_add"),
            path("watched-words/<int:pk>/", views.edit_word, name="watchwords_edit"),
            path("watched-words/matches/<int:pk>/reviewed/", views.review_hit, name="watchwords_review"),
        ],
    )
