"""The demo content (load_demo with DEBUG on) has a few approved topics with replies, added once."""

import os

import pytest
from django.core.management import call_command

from discussions.models import Topic
from ldnsite.comments.models import Comment


@pytest.mark.django_db
def test_load_demo_adds_approved_topics_with_replies_once(client, settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    topics = Topic.objects.public()
    assert topics.count() == 3
    busiest = max(topics, key=lambda topic: Comment.objects.on(topic).count())
    assert Comment.objects.on(busiest).filter(status=Comment.Status.PUBLISHED).count() == 2
    html = client.get("/discussions/").content.decode()
    assert html.count('class="card topic-card"') == 3
