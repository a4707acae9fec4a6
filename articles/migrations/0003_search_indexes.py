from django.db import migrations

from ldnsite.fulltext import AddSearchIndex


class Migration(migrations.Migration):
    dependencies = [("articles", "0002_editors_group")]

    # Weighted fields as articles.search.GROUPS had them when this ran; change both together, in a new migration.
    operations = [
        AddSearchIndex(
            model_name="study",
            name="articles_study_search_idx",
            weighted_fields=[
                ("title", "A"),
                ("authors", "B"),
                ("plain_summary", "B"),
                ("main_result", "B"),
                ("journal", "C"),
                ("outcomes_measured", "C"),
                ("adverse_events", "D"),
                ("limitations", "D"),
            ],
        ),
        AddSearchIndex(
            model_name="article",
            name="articles_article_search_idx",
            weighted_fields=[("title", "A"), ("summary", "B"), ("body", "C")],
        ),
    ]
