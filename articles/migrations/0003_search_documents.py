from django.db import migrations

from ldnsite.fulltext import AddSearchDocument


class Migration(migrations.Migration):
    dependencies = [("articles", "0002_editors_group")]

    # Titles weigh most (A), then summaries and results (B), then bodies (C) and the rest (D).
    operations = [
        AddSearchDocument(
            model_name="study",
            index_name="articles_study_search_idx",
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
        AddSearchDocument(
            model_name="article",
            index_name="articles_article_search_idx",
            weighted_fields=[("title", "A"), ("summary", "B"), ("body", "C")],
        ),
    ]
