import pytest
from django.urls import reverse

from articles.models import Resource, Study
from articles.moderation import publish, unpublish
from ldnsite.moderation.exceptions import InvalidTransition
from ldnsite.moderation.models import ModerationEvent

DRAFT_MARKER = "UNIQUE-DRAFT-MARKER-7f3a"


@pytest.fixture
def draft_article(make_article):
    return make_article(published=False, title=f"Draft {DRAFT_MARKER}", summary=f"About {DRAFT_MARKER}")


def public_pages(article_slug: str) -> list[str]:
    return ["/", "/articles/", "/studies/", f"/articles/{article_slug}/"]


@pytest.mark.django_db
def test_published_article_page_shows_its_parts(client, make_article, make_study):
    study = make_study(title="A crossover trial of LDN", participants_enrolled=80, duration="17 weeks")
    article = make_article(
        title="What LDN is",
        body="## Dose\n\nMost people take **4.5 mg** at night.",
        studies=[study],
        resources=[
            {"kind": Resource.Kind.REGISTRY, "title": "Trial record", "url": "https://clinicaltrials.gov/"}
        ],
    )

    response = client.get(article.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>What LDN is</h1>" in html
    assert "<h2>Dose</h2>" in html and "<strong>4.5 mg</strong>" in html
    assert article.author.display_name in html
    assert "A crossover trial of LDN" in html and "Evidence level 2" in html
    assert "Trial registry" in html and 'href="https://clinicaltrials.gov/"' in html
    assert "Not medical advice" in html


@pytest.mark.django_db
def test_author_email_never_appears_on_article_page(client, make_article, make_user):
    author = make_user(email="private.person@example.org", display_name="Pat")
    article = make_article(author=author)

    html = client.get(article.get_absolute_url()).content.decode()

    assert "Pat" in html
    assert "private.person" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("as_user", ["anonymous", "member"])
def test_draft_article_invisible_to_readers(client, draft_article, member, as_user):
    if as_user == "member":
        client.force_login(member)

    assert client.get(draft_article.get_absolute_url()).status_code == 404
    for url in public_pages("does-not-matter")[:3]:
        assert DRAFT_MARKER not in client.get(url).content.decode(), url


@pytest.mark.django_db
def test_editor_sees_draft_marked_as_draft(client, draft_article, editor):
    client.force_login(editor)

    page = client.get(draft_article.get_absolute_url()).content.decode()
    listing = client.get("/articles/").content.decode()

    assert DRAFT_MARKER in page and "Draft — only editors can see this" in page
    assert DRAFT_MARKER in listing


@pytest.mark.django_db
def test_scheduled_article_is_not_public_yet(client, make_article):
    from django.utils import timezone

    article = make_article(published_at=timezone.now() + timezone.timedelta(days=3), title=DRAFT_MARKER)

    assert client.get(article.get_absolute_url()).status_code == 404
    assert DRAFT_MARKER not in client.get("/articles/").content.decode()


@pytest.mark.django_db
def test_draft_study_cited_by_published_article_is_not_shown(client, make_article, make_study):
    hidden = make_study(published=False, title=f"Unpublished {DRAFT_MARKER}")
    article = make_article(studies=[hidden, make_study()])

    html = client.get(article.get_absolute_url()).content.decode()

    assert DRAFT_MARKER not in html


@pytest.mark.django_db
@pytest.mark.parametrize("study_count", [1, 20])
def test_article_page_query_count_does_not_grow_with_studies(
    client, make_article, make_study, django_assert_max_num_queries, study_count
):
    studies = [make_study() for _ in range(study_count)]
    resources = [
        {"kind": Resource.Kind.VIDEO, "title": f"Video {i}", "url": f"https://example.org/{i}"}
        for i in range(5)
    ]
    article = make_article(studies=studies, resources=resources)

    with django_assert_max_num_queries(4):
        response = client.get(article.get_absolute_url())

    assert response.content.decode().count('class="reference"') == study_count


@pytest.mark.django_db
def test_article_list_and_home_query_counts_are_constant(
    client, make_article, make_study, django_assert_max_num_queries
):
    for _ in range(30):
        make_article(studies=[make_study()])

    with django_assert_max_num_queries(2):
        assert client.get("/articles/").status_code == 200
    with django_assert_max_num_queries(3):
        assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_article_list_paginates(client, make_article):
    for _ in range(25):
        make_article()

    first = client.get("/articles/")
    second = client.get("/articles/?page=2")

    assert first.content.decode().count('class="card"') == 20
    assert second.content.decode().count('class="card"') == 5
    assert client.get("/articles/?page=99").status_code == 404


@pytest.mark.django_db
def test_home_shows_evidence_snapshot_and_separate_member_experiences(client, make_article, make_study):
    make_study(design=Study.Design.RCT_CROSSOVER)
    make_study(design=Study.Design.RCT_CROSSOVER)
    make_study(design=Study.Design.COHORT)
    make_study(design=Study.Design.COHORT, published=False)
    make_article(title="Fresh explainer")

    html = client.get("/").content.decode()

    assert "Fresh explainer" in html
    assert "<strong>3</strong> published studies" in html
    assert "Randomised trial, crossover: 2" in html and "Cohort study: 1" in html
    assert "not enough evidence" in html
    assert "Personal experience — not medical evidence" in html
    assert f'href="{reverse("testimonials:list")}"' in html


@pytest.mark.django_db
def test_publish_and_unpublish_go_through_transitions_and_log(
    client, make_article, editor, django_capture_on_commit_callbacks
):
    article = make_article(published=False, title=DRAFT_MARKER)

    publish(article, by=editor)
    assert client.get(article.get_absolute_url()).status_code == 200
    first_published_at = article.published_at

    with django_capture_on_commit_callbacks(execute=True):  # committed: the cached page is refreshed
        unpublish(article, by=editor, reason="Needs the 2017 study")
    assert client.get(article.get_absolute_url()).status_code == 404

    publish(article, by=editor)
    assert article.published_at == first_published_at
    events = list(ModerationEvent.objects.filter(object_id=article.pk).order_by("pk"))
    assert [(e.action, e.from_state, e.to_state) for e in events] == [
        ("publish", "draft", "published"),
        ("unpublish", "published", "draft"),
        ("publish", "draft", "published"),
    ]
    assert events[1].reason == "Needs the 2017 study" and events[1].actor == editor


@pytest.mark.django_db
def test_publishing_a_published_article_is_refused(make_article, editor):
    article = make_article()

    with pytest.raises(InvalidTransition):
        publish(article, by=editor)
    assert not ModerationEvent.objects.exists()


@pytest.mark.django_db
def test_markdown_body_is_sanitized_on_the_page(client, make_article):
    article = make_article(body='<script>alert("x")</script>\n\n[click](javascript:alert(1))')

    html = client.get(article.get_absolute_url()).content.decode()

    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html
    assert 'href="javascript' not in html
