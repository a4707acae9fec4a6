import io

import pytest
from django.core.management import call_command

from ldnsite.demo import builders
from ldnsite.demo.builders import VolumeOption


@pytest.fixture
def extra_builder():
    calls = []

    def content(team):
        calls.append(("content", team.display_name))
        return "Extra demo content ready."

    def debug_content(*, member, moderator):
        calls.append(("debug", member.email, moderator.email))
        return ""

    builders.register("extra", order=99, content=content, debug_content=debug_content)
    yield calls
    builders.unregister("extra")


@pytest.mark.django_db
def test_load_demo_runs_every_registered_builder(extra_builder, settings):
    settings.DEBUG = True
    out = io.StringIO()

    call_command("load_demo", stdout=out)

    assert ("content", "ldnsite editorial team") in extra_builder
    assert ("debug", "member@example.com", "moderator@example.com") in extra_builder
    assert "Extra demo content ready." in out.getvalue()
    assert "Demo content ready: 6 study summaries" in out.getvalue()  # the articles app's own


@pytest.mark.django_db
def test_without_debug_only_content_for_everyone_is_loaded(extra_builder, settings):
    settings.DEBUG = False

    call_command("load_demo", stdout=io.StringIO())

    assert [call[0] for call in extra_builder] == ["content"]


def test_a_key_or_a_volume_option_can_be_registered_once():
    with pytest.raises(ValueError, match="articles"):
        builders.register("articles", order=1)
    with pytest.raises(ValueError, match="testimonials"):
        builders.register("other", order=1, volume_options=[VolumeOption("testimonials", 1, "again")])
    assert "other" not in {builder.key for builder in builders.registered()}


def test_seed_volume_offers_each_apps_options():
    options = {option.name for option in builders.volume_options()}

    assert {"articles", "studies", "testimonials"} <= options
