from django.db import models
from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone

# Who writes articles and study summaries: registered as the editor's permission (ldnsite.privileges) in
# ArticlesConfig.ready(), so that drafts, the editor's upload and the editors' view of a page follow it.
EDIT_PERMISSION = "articles.change_article"


class PublishableQuerySet(models.QuerySet):
    """The one door to the public for editorial content: published and not scheduled for later."""

    def public(self):
        return self.filter(status="published", published_at__lte=timezone.now())

    def visible_to(self, privileges):
        """Editors acting with their privileges (ldnsite.privileges) see drafts, marked as such; everyone
        else sees the published rows only."""
        if privileges.is_editor:
            return self.all()
        return self.public()


class ArticleQuerySet(PublishableQuerySet):
    def for_listing(self):
        return self.select_related("author").order_by("-published_at", "-pk")


class StudyQuerySet(PublishableQuerySet):
    def with_evidence_level(self):
        """Annotate `level` (1 strongest .. 5) and `design_rank` (position in the design list), to sort by."""
        study = self.model  # the model declares its designs and their levels; this module never imports it
        return self.annotate(
            level=Case(
                *[When(design=design, then=Value(level)) for design, level in study.LEVEL_BY_DESIGN.items()],
                output_field=IntegerField(),
            ),
            design_rank=Case(
                *[When(design=design, then=Value(rank)) for rank, design in enumerate(study.Design.values)],
                output_field=IntegerField(),
            ),
        )
