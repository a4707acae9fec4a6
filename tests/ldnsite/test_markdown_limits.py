"""The renderer stays fast and correct on crafted input: bracket floods, traversal in image paths."""

from ldnsite.markdown import _BRACKET_PLACEHOLDER, MAX_LENGTH, MAX_LINKS, _defuse_brackets, render


def test_unmatched_brackets_are_defused_and_shown_as_text():
    assert _defuse_brackets("[a](b) [unclosed") == f"[a](b) {_BRACKET_PLACEHOLDER}unclosed"
    html = render("see [unclosed and [a link](https://example.org/)")
    assert "[unclosed" in html and 'href="https://example.org/"' in html
    assert _BRACKET_PLACEHOLDER not in html


def test_bracket_flood_renders_as_text():
    html = render("[" * MAX_LENGTH)

    assert html.count("[") == MAX_LENGTH
    assert _BRACKET_PLACEHOLDER not in html


def test_link_whose_address_never_closes_is_defused():
    assert _defuse_brackets("[a](" + "x" * 2000) == _BRACKET_PLACEHOLDER + "a](" + "x" * 2000


def test_escaped_brackets_and_code_spans_are_left_to_markdown():
    source = r"\[not a link] `[code` [real](https://example.org/)"

    assert _defuse_brackets(source) == source


def test_links_never_cross_a_blank_line():
    assert _defuse_brackets("[a\n\nb]") == f"{_BRACKET_PLACEHOLDER}a\n\nb]"


def test_at_most_max_links_are_parsed_as_links():
    html = render("[a](https://example.org/) " * (MAX_LINKS + 50))

    assert html.count("<a ") == MAX_LINKS
    assert html.count("[a](https://example.org/)") == 50


def test_placeholder_character_typed_by_a_user_is_dropped():
    assert _BRACKET_PLACEHOLDER not in render(f"x{_BRACKET_PLACEHOLDER}y")


def test_image_paths_cannot_climb_out_of_media():
    html = render(
        "![a](/media/../accounts/logout/) ![b](/media/%2e%2e/admin/) ![c](/media/a\\b.png) "
        "![ok](/media/markdownx/0123abcd.png)"
    )

    assert html.count("<img") == 1
    assert 'src="/media/markdownx/0123abcd.png"' in html
