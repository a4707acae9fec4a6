from urllib.parse import urlencode

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import apnumber, intcomma
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from ldnsite.http import client_ip, site_url
from ldnsite.ratelimit import is_limited

from . import engine, sources

TEMPLATE = "search/search.html"
PAGE_SIZE = 20


class _CountedPaginator(Paginator):
    """A Paginator told the count (engine.find has it, bounded) instead of asking the database again."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @property
    def count(self) -> int:
        return self._known_count


def search(request: HttpRequest) -> HttpResponse:
    """Results grouped by source, in the order apps registered them; `in=<key>` pages through one alone."""
    query = engine.clean_query(request.GET.get("q", ""))
    only = sources.get(request.GET.get("in", ""))
    every_source = sources.all()
    context = {
        "query": query,
        "only": only,
        "sources": every_source,
        "source_count": apnumber(len(every_source)),
        "browsable": [source for source in every_source if source.browse_url_name],
        "groups": [],
        "total": 0,
        "is_capped": False,
    }
    if not query:
        return render(request, TEMPLATE, context)

    limit, period = settings.SEARCH_RATE_LIMIT
    if limit and is_limited(f"search:{client_ip(request)}", limit=limit, period=period):
        return render(request, TEMPLATE, {**context, "is_limited": True}, status=429)

    for source in [only] if only else every_source:
        found = engine.find(source, query)
        if only:
            page = _CountedPaginator(found.results, PAGE_SIZE, count=found.count).get_page(
                request.GET.get("page")
            )
            results = list(page.object_list) if found.count else []
        else:
            page = None
            results = list(found.results[: engine.PER_GROUP]) if found.count else []
        for result in results:
            result.snippet = engine.snippet(source, result, query)
        context["groups"].append(
            {
                "group": source,
                "results": results,
                "count": found.count,
                "count_text": intcomma(found.count),
                "is_capped": found.is_capped,
                "page_obj": page,
                "all_url": "?" + urlencode({"q": query.text, "in": source.key}),
            }
        )
        context["total"] += found.count
        context["is_capped"] = context["is_capped"] or found.is_capped
    context["total_text"] = intcomma(context["total"])
    context["bound_text"] = intcomma(engine.MAX_CANDIDATES)
    context["query_string"] = urlencode({"q": query.text, **({"in": only.key} if only else {})})
    return render(request, TEMPLATE, context)


def robots_txt(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "robots.txt",
        {"sitemap_url": site_url(request) + reverse("sitemap")},
        content_type="text/plain; charset=utf-8",
    )
