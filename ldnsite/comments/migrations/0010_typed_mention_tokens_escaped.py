from django.db import migrations


def escape_typed_tokens(apps, schema_editor):
    """Comments are now read with mentions, where "@[5]" in a text names member 5. One written before
    could hold "@[5]" as typed: store it as text ("@\\[5]", shown the same), as ldnsite.mentions does with
    what members type now, so that no old comment starts to show a member's name."""
    from ldnsite import markdown

    alias = schema_editor.connection.alias

    def escaped(text: str) -> str:
        return markdown.MENTION_TOKEN.sub(lambda match: f"@\\[{match.group(1)}]", text)

    Comment = apps.get_model("comments", "Comment")
    for comment in Comment.objects.using(alias).filter(body__contains="@[").only("pk", "body"):
        body = escaped(comment.body)
        if body != comment.body:
            Comment.objects.using(alias).filter(pk=comment.pk).update(
                body=body,
                body_html=markdown.render_to_keep(body, mentions=True),
                body_html_version=markdown.VERSION,
            )
    CommentRevision = apps.get_model("comments", "CommentRevision")
    for revision in CommentRevision.objects.using(alias).filter(body__contains="@[").only("pk", "body"):
        CommentRevision.objects.using(alias).filter(pk=revision.pk).update(body=escaped(revision.body))


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0009_list_indexes"),
    ]

    operations = [migrations.RunPython(escape_typed_tokens, migrations.RunPython.noop, elidable=True)]
