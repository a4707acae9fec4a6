"""What site search (ldnsite.search) finds in this app: published topics, under their own heading.

The fields are those of the table's PostgreSQL search document (migration 0003 weighs them).
"""

from ldnsite.search import sources

from .models import Topic


def register() -> None:
    sources.register(
        "discussions",
        model=Topic,
        heading="Discussions",
        fields=("title", "body"),
        snippet_fields=("body",),
        description="topics members started — personal experience, not medical evidence",
        browse_url_name="discussions:list",
        browse_label="discussions",
        result_template="discussions/includes/search_result.html",
        intro_template="discussions/includes/search_intro.html",
        section_class="experience-section",
        select_related=("author", "category"),
    )
