from django.db.models import Count, Prefetch, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.generic import DetailView, ListView

from ldnsite import pagecache
from ldnsite.comments.threads import thread_context, with_thread
from ldnsite.context_processors import site as site_context
from ldnsite.privileges import privileges

from .models import Article, Study

EVIDENCE_CONSENSUS = (
    "A handful of small studies with mixed results: not enough evidence yet to say whether LDN helps people "
    "with MS."
)


def home(request: HttpRequest) -> HttpResponse:
    studies = Study.objects.public()
    designs = dict(Study.Design.choices)
    design_counts = [
        {"label": designs[row["design"]], "count": row["count"]}
        for row in studies.order_by()
        .values("design")
        .annotate(count=Count("pk"))
        .order_by("-count", "design")
    ]
    return render(
        request,
        "articles/home.html",
        {
            "latest_articles": Article.objects.public().for_listing()[:5],
            "study_count": sum(row["count"] for row in design_counts),
            "design_counts": design_counts,
            "consensus": EVIDENCE_CONSENSUS,
        },
    )


class ArticleListView(ListView):
    template_name = "articles/article_list.html"
    context_object_name = "articles"
    paginate_by = 20

    def get_queryset(self):
        return Article.objects.visible_to(privileges(self.request)).for_listing()


class SectionDetailView(DetailView):
    """A detail page whose subject (everything but its discussion) is rendered once until it changes.

    That section is the same for every reader who is not an editor (editors see drafts, marked as such), so
    it is kept as HTML with `pagecache.remember`, like the comment list, until the subject's page is
    refreshed: a reader's page then costs neither the section's related-object queries nor its rendering.
    `section_templates` names the parts ("head" for the link-preview tags, "body" for the page itself); they
    get only the subject, the site's name and whether the reader is an editor (whose render is never kept),
    never the request, so nothing of the reader can end up in a kept section.
    """

    section_templates: dict[str, str] = {}

    def section_prefetch(self) -> list:
        """The related objects the section shows, fetched only when it is rendered."""
        return []

    def get_section(self) -> dict[str, str]:
        subject = self.object

        site = site_context(self.request)
        editor = privileges(self.request).is_editor

        def render() -> dict[str, str]:
            prefetch_related_objects([subject], *self.section_prefetch())
            # Only editors' sections show what needs fixing (for_editor), and theirs are never kept.
            context = {self.context_object_name: subject, "for_editor": editor, **site}
            return {part: render_to_string(name, context) for part, name in self.section_templates.items()}

        # Its absolute links are on the site's address, which is the request's host without DJANGO_SITE_URL.
        parts = None if editor else ("section", site["site_url"], subject._meta.label, subject.pk)
        return pagecache.remember(parts, render, page=subject.get_absolute_url())

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "section": self.get_section(),
            **thread_context(self.request, self.object),
        }


class ArticleDetailView(SectionDetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"
    section_templates = {
        "head": "articles/includes/article_meta.html",
        "body": "articles/includes/article_section.html",
    }

    def get_queryset(self):
        return with_thread(Article.objects.visible_to(privileges(self.request)).select_related("author"))

    def section_prefetch(self) -> list:
        studies = Study.objects.visible_to(privileges(self.request))
        return [
            Prefetch("studies", queryset=studies.order_by("-year", "title")),
            "resources",
        ]


class StudyListView(ListView):
    """The evidence table, sortable by year, design, size and evidence level."""

    template_name = "articles/study_list.html"
    context_object_name = "studies"
    paginate_by = 50
    # sort key -> (ordering, the direction a first click gives)
    SORTS = {
        "year": ["year", "title"],
        "design": ["design_rank", "-year"],
        "size": ["participants_enrolled", "-year"],
        "level": ["level", "-participants_enrolled"],
    }
    DEFAULT_SORT = "-year"

    def sort_key(self) -> str:
        requested = self.request.GET.get("sort", self.DEFAULT_SORT)
        return requested if requested.lstrip("-") in self.SORTS else self.DEFAULT_SORT

    def get_queryset(self):
        key = self.sort_key()
        ordering = self.SORTS[key.lstrip("-")]
        if key.startswith("-"):
            ordering = [f"-{ordering[0]}", *ordering[1:]]
        studies = Study.objects.visible_to(privileges(self.request))
        return studies.with_evidence_level().order_by(*ordering, "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        current = self.sort_key()
        columns = []
        for key, label in [
            ("year", "Year"),
            ("design", "Design"),
            ("size", "Participants"),
            ("level", "Level"),
        ]:
            is_current = current.lstrip("-") == key
            descending = current.startswith("-")
            columns.append(
                {
                    "key": key,
                    "label": label,
                    "aria_sort": ("descending" if descending else "ascending") if is_current else "none",
                    # A click on the current column reverses it; on another column, sorts it ascending.
                    "next": (key if descending else f"-{key}") if is_current else key,
                }
            )
        context["columns"] = {column["key"]: column for column in columns}
        context["level_descriptions"] = Study.LEVEL_DESCRIPTIONS
        return context


class StudyDetailView(SectionDetailView):
    template_name = "articles/study_detail.html"
    context_object_name = "study"
    section_templates = {
        "head": "articles/includes/study_meta.html",
        "body": "articles/includes/study_section.html",
    }

    def get_queryset(self):
        return with_thread(Study.objects.visible_to(privileges(self.request)).select_related("reviewed_by"))

    def section_prefetch(self) -> list:
        visible = Article.objects.visible_to(privileges(self.request))
        return [Prefetch("articles", queryset=visible.order_by("-published_at"))]
