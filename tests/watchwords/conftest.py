import re
import uuid

import pytest
from django.utils import timezone

from ldnsite.watchwords.models import Action, MatchType, WatchedWord


@pytest.fixture
def make_word(db):
    """make_word(pattern, action="block", label=None, regex=False) -> an active watched word."""

    def make(pattern: str, action: str = Action.BLOCK, *, label: str | None = None, regex: bool = False):
        return WatchedWord.objects.create(
            label=label or f"the word “{pattern}”",
            pattern=pattern,
            match_type=MatchType.REGEX if regex else MatchType.PHRASES,
            action=action,
        )

    return make


@pytest.fixture
def veteran(make_user):
    """A verified member who joined long ago: no new-member limits, no first-comment hold by age."""
    return make_user(display_name="Long Time", date_joined=timezone.now() - timezone.timedelta(days=400))


@pytest.fixture
def article(make_article):
    return make_article(slug="ldn-basics", title="LDN basics")


def story_data(**overrides) -> dict:
    """A complete, valid story as the browser sends it."""
    data = {
        "ms_type": "rrms", "dose_mg": "4.5", "time_on_ldn": "6-12m", "other_treatments": "Vitamin D",
        "change": "better", "side_effects": ["vivid_dreams"], "side_effects_other": "",
        "title": "Calmer evenings", "narrative": "I sleep through the night more often since month two.",
        "display_as": "ms_type", "written_as": "self", "declaration": "on", "consent": "on",
        "token": str(uuid.uuid4()),
    }  # fmt: skip
    data.update(overrides)
    return data


def post_comment(client, slug="ldn-basics", *, body: str):
    return client.post(f"/comments/article/{slug}/new/", {"body": body, "token": str(uuid.uuid4())})


def card(html: str, element_id: str) -> str:
    """The HTML of one queue card, so that assertions talk about that item only."""
    match = re.search(rf'id="{element_id}".*?</article>', html, re.DOTALL)
    assert match, f"no card {element_id} in the page"
    return match.group(0)
