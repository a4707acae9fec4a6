import pytest
from django.utils import timezone

from articles.models import Article, Study
from ldnsite.moderation.models import ModerationEvent

VALID_STUDY = {
    "title": "A trial",
    "slug": "a-trial",
    "authors": "Smith A, Jones B",
    "journal": "Mult Scler",
    "year": "2010",
    "citation_details": "",
    "doi": "10.1002/ana.22006",
    "pmid": "20695007",
    "registry_id": "NCT00501696",
    "design": "rct_crossover",
    "populations": ["rrms", "spms"],
    "setting": "",
    "participants_enrolled": "80",
    "participants_completed": "60",
    "dose": "4.5 mg",
    "comparator": "Placebo",
    "duration": "17 weeks",
    "outcomes_measured": "",
    "main_result": "Better mental quality of life.",
    "adverse_events": "",
    "limitations": "",
    "funding": "",
    "plain_summary": "People felt a little better in mood.",
    "checked_facts": ["citation", "design"],
}


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.mark.django_db
def test_editor_adds_study_in_admin(editor_client):
    response = editor_client.post("/admin/articles/study/add/", VALID_STUDY)

    assert response.status_code == 302
    study = Study.objects.get(slug="a-trial")
    assert study.populations == ["rrms", "spms"]
    assert study.checked_facts == ["citation", "design"]
    assert study.status == "draft"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("doi", "doi:10.1002/ana.22006", "Enter the DOI on its own"),
        ("doi", "https://doi.org/10.1002/x", "Enter the DOI on its own"),
        ("pmid", "PMID20695007", "A PubMed ID is a number"),
        ("pmid", "0123", "A PubMed ID is a number"),
        ("registry_id", "NCT 0050 1696", "Enter a trial registry number"),
        ("year", str(timezone.now().year + 1), "is in the future"),
        ("participants_completed", "81", "More people cannot complete a study than were enrolled"),
    ],
)
def test_admin_rejects_bad_study_input_with_clear_message(editor_client, field, value, message):
    response = editor_client.post("/admin/articles/study/add/", {**VALID_STUDY, field: value})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert VALID_STUDY["main_result"] in response.content.decode()  # what the editor typed is kept
    assert not Study.objects.exists()


@pytest.mark.django_db
def test_admin_rejects_duplicate_slug(editor_client, make_study):
    make_study(slug="a-trial")

    response = editor_client.post("/admin/articles/study/add/", VALID_STUDY)

    assert response.status_code == 200
    assert "Another entry already uses this web address" in response.content.decode()
    assert Study.objects.count() == 1


def article_form(**overrides) -> dict:
    data = {
        "title": "New piece",
        "slug": "new-piece",
        "summary": "Short.",
        "body": "Text",
        "last_reviewed_on": "",
        "resources-TOTAL_FORMS": "1",
        "resources-INITIAL_FORMS": "0",
        "resources-0-position": "0",
        "resources-0-kind": "registry",
        "resources-0-title": "Trial record",
        "resources-0-url": "https://clinicaltrials.gov/study/NCT00501696",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_article_admin_uses_markdownx_editor(editor_client):
    form_page = editor_client.get("/admin/articles/article/add/").content.decode()

    assert "markdownx-editor" in form_page
    assert 'data-markdownx-urls-path="/markdownx/markdownify/"' in form_page


@pytest.mark.django_db
def test_article_added_in_admin_is_a_draft_by_its_editor(editor_client, editor, make_study):
    study = make_study()

    response = editor_client.post("/admin/articles/article/add/", article_form(studies=[study.pk]))

    assert response.status_code == 302
    article = Article.objects.get(slug="new-piece")
    assert article.author == editor and article.status == "draft"
    assert list(article.studies.all()) == [study]
    assert article.resources.get().url == "https://clinicaltrials.gov/study/NCT00501696"


@pytest.mark.django_db
def test_article_admin_refuses_javascript_resource_link(editor_client):
    response = editor_client.post(
        "/admin/articles/article/add/", article_form(**{"resources-0-url": "javascript:alert(1)"})
    )

    assert response.status_code == 200
    assert "Enter a valid URL" in response.content.decode()
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_admin_publish_action_uses_the_transition(editor_client, make_article):
    article = make_article(published=False)

    response = editor_client.post(
        "/admin/articles/article/",
        {"action": "publish_selected", "_selected_action": [article.pk]},
        follow=True,
    )

    article.refresh_from_db()
    assert response.status_code == 200
    assert article.is_published and article.published_at is not None
    assert ModerationEvent.objects.filter(action="publish", object_id=article.pk).count() == 1


@pytest.mark.django_db
def test_member_cannot_reach_admin(client, member):
    client.force_login(member)

    response = client.get("/admin/articles/article/")

    assert response.status_code == 302
    assert "/accounts/login/" in response.url or "/admin/login/" in response.url
