from django.db import migrations, models

from ldnsite.fulltext import ReplaceSearchDocument
from testimonials.models import facts_in_words

BATCH = 1_000
TEXT_FIELDS = [("title", "A"), ("narrative", "B"), ("side_effects_other", "C"), ("other_treatments", "C")]


def fill_search_facts(apps, schema_editor):
    """Put the answers of every existing story in words (new saves do it themselves)."""
    Testimonial = apps.get_model("testimonials", "Testimonial")
    batch = []
    for story in Testimonial.objects.only("ms_type", "dose_mg", "side_effects").iterator(chunk_size=BATCH):
        story.search_facts = facts_in_words(story.ms_type, story.dose_mg, story.side_effects)
        batch.append(story)
        if len(batch) == BATCH:
            Testimonial.objects.bulk_update(batch, ["search_facts"])
            batch = []
    Testimonial.objects.bulk_update(batch, ["search_facts"])


class Migration(migrations.Migration):
    dependencies = [("testimonials", "0005_list_indexes")]

    # Issue 17: search finds a story by its type of MS, dose and side effects, weighed as the other answers
    # (C). The document is rebuilt before the rows are filled, so filling them recomputes it.
    operations = [
        migrations.AddField(
            model_name="testimonial",
            name="search_facts",
            field=models.TextField(blank=True, editable=False),
        ),
        ReplaceSearchDocument(
            model_name="testimonial",
            index_name="testimonials_search_idx",
            weighted_fields=[*TEXT_FIELDS, ("search_facts", "C")],
            previous_fields=TEXT_FIELDS,
        ),
        migrations.RunPython(fill_search_facts, migrations.RunPython.noop, elidable=True),
    ]
