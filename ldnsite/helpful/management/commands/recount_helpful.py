from django.core.management.base import BaseCommand

from ldnsite.helpful import marks


class Command(BaseCommand):
    help = "Recount every item's helpful count from the marks and correct the kept counts that differ."

    def handle(self, *args, **options):
        wrong = marks.rebuild()
        for (kind, object_id), (kept, true) in sorted(wrong.items()):
            self.stdout.write(f"{kind} {object_id}: kept {kept}, recounted {true}")
        self.stdout.write(f"{len(wrong)} count(s) corrected.")
