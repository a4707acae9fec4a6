import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.models import Article, Resource, Study

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/articles/", "/studies/", "/testimonials/", "/accounts/login/"])
def test_every_page_carries_the_medical_disclaimer(client, url):
    html = client.get(url).content.decode()

    assert "Not medical advice" in html
    assert "off-label" in html and "neurologist" in html


@pytest.mark.django_db
def test_member_experiences_placeholder_is_labelled_as_not_evidence(client):
    html = client.get("/testimonials/").content.decode()

    assert "Personal experience — not medical evidence" in html


def test_healthz(client):
    response = client.get("/healthz")

    assert response.status_code == 200 and response.content == b"ok"


@pytest.mark.django_db
def test_unknown_page_is_404(client):
    assert client.get("/articles/no-such-article/").status_code == 404
    assert client.get("/studies/no-such-study/").status_code == 404


def _run_settings(env_overrides: dict) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "ldnsite.settings"},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_secret_key():
    result = _run_settings({})

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_production_settings_do_not_change_under_a_test_runner():
    """The site's settings read the deployment's environment only: pytest's own variables change nothing."""
    result = _run_settings({"PYTEST_VERSION": "8.3.0", "PYTEST_CURRENT_TEST": "tests/test_site.py::x (call)"})

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_production_starts_with_secret_key():
    result = _run_settings({"DJANGO_SECRET_KEY": "x" * 50, "DJANGO_ALLOWED_HOSTS": "example.org"})

    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_load_demo_is_idempotent_and_publishes_everything(client, settings):
    settings.DEBUG = False
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115

    assert Study.objects.public().count() == 6
    assert Article.objects.public().count() == 1
    article = Article.objects.get()
    assert article.studies.count() == 6
    assert Resource.objects.count() == article.resources.count() >= 3
    html = client.get(article.get_absolute_url()).content.decode()
    assert html.count('class="reference"') == 6
    assert html.count('<sup class="citation">') >= 6  # the demo article cites every study inline


@pytest.mark.django_db
def test_load_demo_marks_unchecked_facts(client, settings):
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    gironi = Study.objects.get(slug__startswith="gironi")

    html = client.get(gironi.get_absolute_url()).content.decode()

    dose_row = html.split("<dt>Dose</dt>")[1].split("</div>")[0]
    assert "not yet checked" in dose_row


@pytest.mark.django_db
def test_demo_accounts_only_with_debug(settings, capsys):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    settings.DEBUG = False
    call_command("load_demo")
    assert not User.objects.filter(email__endswith="@example.com").exists()
    assert not any(user.has_usable_password() for user in User.objects.all())

    settings.DEBUG = True
    call_command("load_demo")
    output = capsys.readouterr().out
    editor = User.objects.get(email="editor@example.com")
    assert editor.has_perm("articles.change_article") and editor.is_staff
    assert User.objects.get(email="moderator@example.com").groups.filter(name="Moderators").exists()
    assert not User.objects.get(email="member@example.com").is_staff
    password = output.split("editor@example.com")[1].split("password:")[1].split()[0]
    assert editor.check_password(password)


@pytest.mark.django_db
def test_demo_testimonials_only_with_debug_and_only_once(settings, client):
    from testimonials.models import Testimonial as MemberTestimonial

    settings.DEBUG = False
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert not MemberTestimonial.objects.exists()

    settings.DEBUG = True
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115

    assert MemberTestimonial.objects.public().count() == 6
    html = client.get("/testimonials/").content.decode()
    assert "Demo: member experience 1" in html
    assert "<svg" in client.get("/testimonials/summary/").content.decode()  # enough reports for charts


@pytest.mark.django_db
def test_a_member_reaches_their_own_stories_from_every_page_header(client, member):
    assert 'href="/testimonials/mine/"' not in client.get("/").content.decode()

    client.force_login(member)
    for url in ("/", "/studies/", "/testimonials/"):
        header = client.get(url).content.decode().split("</header>", 1)[0]
        assert '<a href="/testimonials/mine/">Your stories</a>' in header
    mine = client.get("/testimonials/mine/").content.decode().split("</header>", 1)[0]
    assert '<a href="/testimonials/mine/" aria-current="page">Your stories</a>' in mine


@pytest.mark.django_db
def test_demo_studies_cite_every_author_and_date_the_papers_that_could_be_checked(client):
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    gironi = Study.objects.get(slug__startswith="gironi")

    bibtex = client.get(gironi.get_absolute_url() + "cite.bib").content.decode()

    assert "others" not in bibtex and "..." not in gironi.authors
    assert gironi.authors.count(",") == 16 and gironi.authors.endswith("Comi G, Martino G")
    page = client.get(gironi.get_absolute_url()).content.decode()
    assert '"datePublished": "2008-09"' in page


@pytest.mark.django_db
def test_the_demo_article_is_credited_to_the_editorial_team_as_an_organization(client):
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115

    page = client.get(Article.objects.get().get_absolute_url()).content.decode()

    assert '"author": {"@type": "Organization", "name": "ldnsite editorial team"}' in page
