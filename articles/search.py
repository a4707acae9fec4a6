"""What site search (ldnsite.search) finds in this app: study summaries, then articles.

The fields are those of each table's PostgreSQL search document (the migrations that add it weigh them);
SQLite matches the same fields word by word.
"""

from ldnsite.search import sources

from .models import Article, Study


def register() -> None:
    sources.register(
        "studies",
        model=Study,
        heading="Study summaries",
        fields=(
            "title",
            "authors",
            "plain_summary",
            "main_result",
            "journal",
            "outcomes_measured",
            "adverse_events",
            "limitations",
        ),
        snippet_fields=("plain_summary", "main_result"),
        description="published research about LDN in MS, with an evidence level",
        browse_url_name="articles:study_list",
        browse_label="evidence table",
        result_template="articles/includes/search_result_study.html",
        intro_template="articles/includes/search_intro_studies.html",
    )
    sources.register(
        "articles",
        model=Article,
        heading="Articles",
        fields=("title", "summary", "body"),
        snippet_fields=("summary", "body"),
        description="explainers written by our editors",
        browse_url_name="articles:article_list",
        browse_label="articles",
        result_template="articles/includes/search_result_article.html",
        select_related=("author",),
    )
