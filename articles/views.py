from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.generic import DetailView, ListView

from ldnsite.accounts.signals import client_ip
from ldnsite.comments.threads import thread_context
from ldnsite.ratelimit import is_limited

from . import search as site_search
from .models import Article, Study

EVIDENCE_CONSENSUS = (
    "A handful of small studies with mixed results: not enough evidence yet to say whether LDN helps people "
    "with MS."
)


def home(request: HttpRequest) -> HttpResponse:
    studies = Study.objects.published()
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
            "latest_articles": Article.objects.published().for_listing()[:5],
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
        return Article.objects.visible_to(self.request.user).for_listing()


class ArticleDetailView(DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        user = self.request.user
        return (
            Article.objects.visible_to(user)
            .select_related("author", "thread")
            .prefetch_related(
                Prefetch("studies", queryset=Study.objects.visible_to(user).order_by("-year", "title")),
                "resources",
            )
        )

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **thread_context(self.request, self.object)}


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
        return Study.objects.visible_to(self.request.user).with_evidence_level().order_by(*ordering, "pk")

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


class StudyDetailView(DetailView):
    template_name = "articles/study_detail.html"
    context_object_name = "study"

    def get_queryset(self):
        user = self.request.user
        return (
            Study.objects.visible_to(user)
            .select_related("thread")
            .prefetch_related(
                Prefetch("articles", queryset=Article.objects.visible_to(user).order_by("-published_at"))
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["level_descriptions"] = Study.LEVEL_DESCRIPTIONS
        context.update(thread_context(self.request, self.object))
        return context


def search(request: HttpRequest) -> HttpResponse:
    """Results grouped by kind; `in=<group>` pages through one group alone."""
    query = site_search.clean_query(request.GET.get("q", ""))
    only = site_search.GROUPS_BY_KEY.get(request.GET.get("in", ""))
    context = {"query": query, "only": only, "groups": [], "total": 0}
    if not query:
        return render(request, "articles/search.html", context)

    limit, period = settings.SEARCH_RATE_LIMIT
    if limit and is_limited(f"search:{client_ip(request)}", limit=limit, period=period):
        return render(request, "articles/search.html", {**context, "is_limited": True}, status=429)

    for group in [only] if only else site_search.GROUPS:
        matches = site_search.matches(group, query)
        if only:
            page = Paginator(matches, 20).get_page(request.GET.get("page"))
            results, count = list(page.object_list), page.paginator.count
        else:
            page = None
            results = list(matches[: site_search.PER_GROUP])
            count = len(results) if len(results) < site_search.PER_GROUP else matches.count()
        for result in results:
            result.snippet = site_search.snippet(group, result, query)
        context["groups"].append(
            {
                "group": group,
                "results": results,
                "count": count,
                "page_obj": page,
                "all_url": "?" + urlencode({"q": query.text, "in": group.key}),
            }
        )
        context["total"] += count
    context["query_string"] = urlencode({"q": query.text, **({"in": only.key} if only else {})})
    return render(request, "articles/search.html", context)
