from django.db import migrations

from ldnsite.fulltext import AddSearchDocument


class Migration(migrations.Migration):
    dependencies = [("testimonials", "0002_moderators_can_moderate_testimonials")]

    # Titles weigh most (A), then summaries and results (B), then bodies (C) and the rest (D).
    operations = [
        AddSearchDocument(
            model_name="testimonial",
            index_name="testimonials_search_idx",
            weighted_fields=[
                ("title", "A"),
                ("narrative", "B"),
                ("side_effects_other", "C"),
                ("other_treatments", "C"),
            ],
        ),
    ]
