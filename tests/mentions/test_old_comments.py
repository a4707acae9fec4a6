"""Comments written before mentions existed: a "@[5]" typed then must not start naming member 5."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from ldnsite.comments.models import Comment, CommentRevision

migration = importlib.import_module("ldnsite.comments.migrations.0010_typed_mention_tokens_escaped")


@pytest.fixture(autouse=True)
def _fresh_pages(settings):
    settings.PAGE_CACHE_SECONDS = settings.FRAGMENT_CACHE_SECONDS = 0


def test_the_migration_stores_old_typed_ids_as_text(client, make_article, make_user, make_comment):
    secret = make_user(display_name="Secret Sam")
    article = make_article()
    published = Comment.Status.PUBLISHED
    old = make_comment(article, body="x", status=published)
    untouched = make_comment(article, body="Plain [link](https://example.org/)", status=published)
    # As an older version of the site kept it: the text as typed.
    typed = f"Old @[{secret.pk}] text"
    Comment.objects.filter(pk=old.pk).update(body=typed, body_html="", body_html_version="")
    CommentRevision.objects.create(comment=old, body=f"Edit @[{secret.pk}]")

    migration.escape_typed_tokens(apps, SimpleNamespace(connection=connection))

    old.refresh_from_db()
    assert old.body == f"Old @\\[{secret.pk}] text"
    assert CommentRevision.objects.get(comment=old).body == f"Edit @\\[{secret.pk}]"
    html = client.get(article.get_absolute_url()).content.decode()
    assert f"Old @[{secret.pk}] text" in html and "Secret Sam" not in html
    untouched_before = untouched.body_html
    untouched.refresh_from_db()
    assert untouched.body_html == untouched_before
