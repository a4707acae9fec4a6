"""Pages of a long list that cost the same at any volume: the story list, a member's comments, the page of
comments under a subject.

Django's Paginator counts every row (COUNT over the whole list) and reaches page N by skipping the rows before
it (OFFSET through the table, the join and every column of each skipped row). `CappedPaginator` keeps its
pages, numbers and answers to odd page numbers, and bounds both costs:

- It counts at most `settings.LIST_MAX_PAGES` pages of rows (one row more, to know whether there are more).
  Past that, the count is shown as what it is, a lower bound: "more than 20,000", "Page 3 of more than 1,000".
  No number shown is an estimate.
- The page's rows are found by their keys first (`pk IN (SELECT pk ... ORDER BY ... LIMIT n OFFSET k)`), which
  an index on the list's filter and order answers without reading the rows it skips, and the offset is never
  more than the cap. Pages past the cap do not exist, as pages past the end.
- The capped count is read with the page, in the same statement (a scalar subquery over the bounded list), so
  a page costs one query. A number past the end is known by its empty page; only `get_page` (which then shows
  the last page) and ListView's `?page=last` cost a count of their own.
"""

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import IntegerField, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.utils.functional import cached_property

# The name the capped count travels under on the page's rows.
_TOTAL = "paging_capped_total"


def max_pages() -> int:
    """How many pages a list shows at most (settings.LIST_MAX_PAGES)."""
    return int(getattr(settings, "LIST_MAX_PAGES", 1000))


def _keys(queryset: QuerySet) -> QuerySet:
    """The list's primary keys, in its order: what an index can give without reading the rows."""
    return queryset.prefetch_related(None).values("pk")


def capped_count_sql(queryset: QuerySet, limit: int) -> RawSQL | Value:
    """`SELECT COUNT(*)` over the first `limit` rows of the list, as an expression for another query."""
    # Django's ORM writes a count over a limited subquery only as a query of its own (`qs[:n].count()`);
    # this is that SQL, compiled by the ORM with its values as parameters, nested in the page's query.
    try:
        sql, params = _keys(queryset)[:limit].query.get_compiler(using=queryset.db).as_sql()
    except EmptyResultSet:  # a list that is empty by its very terms (`none()`, `pk__in=[]`)
        return Value(0, output_field=IntegerField())
    return RawSQL(f"SELECT COUNT(*) FROM ({sql}) capped", params, output_field=IntegerField())  # noqa: S608, S611


def capped_count(queryset: QuerySet, limit: int) -> int:
    """How many rows the list has, counting no further than `limit`."""
    return _keys(queryset)[:limit].count()


def capped_text(number: int, is_capped: bool) -> str:
    """A number as shown: "20,000", or "more than 20,000" when counting stopped there."""
    return f"more than {number:,}" if is_capped else f"{number:,}"


class CappedPaginator(Paginator):
    """Django's Paginator for a queryset, counting no more than `max_pages()` pages of rows.

    `count` and `num_pages` stop at the cap; `is_capped` says there are more rows than that, and `count_text`
    and `pages_text` say so in words for the templates. `page()` and `get_page()` answer as Django's do (an
    out-of-range number is EmptyPage, or the last page; what is not a number is PageNotAnInteger, or page 1).
    """

    def __init__(self, object_list: QuerySet, per_page: int, orphans: int = 0, **kwargs):
        if orphans:
            raise ValueError("CappedPaginator reads a page before it counts: it cannot move orphans.")
        super().__init__(object_list, per_page, orphans=0, **kwargs)
        self.max_pages = max_pages()
        self.is_capped = False

    @property
    def limit(self) -> int:
        return self.max_pages * self.per_page

    @cached_property
    def count(self) -> int:
        return self._capped(capped_count(self.object_list, self.limit + 1))

    def _capped(self, total: int) -> int:
        self.is_capped = total > self.limit
        return min(total, self.limit)

    @property
    def count_text(self) -> str:
        return capped_text(self.count, self.is_capped)

    @property
    def pages_text(self) -> str:
        return capped_text(self.num_pages, self.is_capped)

    def _number(self, number) -> int:
        """Django's validate_number, without counting first when the number may be a page."""
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        if number > self.max_pages or ("count" in self.__dict__ and number > self.num_pages):
            raise EmptyPage(self.error_messages["no_results"])
        return number

    def page(self, number):
        number = self._number(number)
        bottom = (number - 1) * self.per_page
        rows = self.object_list.filter(pk__in=_keys(self.object_list)[bottom : bottom + self.per_page])
        if "count" in self.__dict__:
            return self._get_page(list(rows), number, self)
        rows = list(rows.annotate(**{_TOTAL: capped_count_sql(self.object_list, self.limit + 1)}))
        if rows:
            self.count = self._capped(getattr(rows[0], _TOTAL))
        elif number == 1:
            self.count = 0
        else:  # past the end; get_page counts to find the last page
            raise EmptyPage(self.error_messages["no_results"])
        if number > self.num_pages:  # page 1 of an empty list that may not be empty
            raise EmptyPage(self.error_messages["no_results"])
        return self._get_page(rows, number, self)

    def get_page(self, number):
        try:
            return self.page(number)
        except PageNotAnInteger:
            return self.page(1)
        except EmptyPage:
            return self.page(self.num_pages)
