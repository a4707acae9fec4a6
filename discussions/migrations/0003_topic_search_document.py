from django.db import migrations

from ldnsite.fulltext import AddSearchDocument


class Migration(migrations.Migration):
    dependencies = [("discussions", "0002_seed_categories_and_moderators")]

    # Titles weigh most (A), then the body (C), as for articles and stories.
    operations = [
        AddSearchDocument(
            model_name="topic",
            index_name="discussions_search_idx",
            weighted_fields=[("title", "A"), ("body", "C")],
        ),
    ]
