from django.db import migrations

from ldnsite.fulltext import AddSearchIndex


class Migration(migrations.Migration):
    dependencies = [("testimonials", "0002_moderators_can_moderate_testimonials")]

    # Weighted fields as articles.search.GROUPS had them when this ran; change both together, in a new migration.
    operations = [
        AddSearchIndex(
            model_name="testimonial",
            name="testimonials_search_idx",
            weighted_fields=[
                ("title", "A"),
                ("narrative", "B"),
                ("side_effects_other", "C"),
                ("other_treatments", "C"),
            ],
        ),
    ]
