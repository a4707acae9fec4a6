"""What site search (ldnsite.search) finds in this app: approved member experiences, under their label.

The fields are those of the table's PostgreSQL search document (the migration that adds it weighs them).
"""

from ldnsite.search import sources

from .models import Testimonial


def register() -> None:
    sources.register(
        "experiences",
        model=Testimonial,
        heading="Member experiences",
        fields=("title", "narrative", "side_effects_other", "other_treatments", "search_facts"),
        snippet_fields=("narrative",),
        description=(
            "what individual members say happened to them — personal experience, not medical evidence"
        ),
        browse_url_name="testimonials:list",
        browse_label="member experiences",
        result_template="testimonials/includes/search_result.html",
        intro_template="testimonials/includes/search_intro.html",
        section_class="experience-section",
        select_related=("author",),
    )
