"""Fixtures for the search tests."""

import pytest


@pytest.fixture
def make_experience(make_testimonial):
    """make_experience(approved=True, **content) -> a member experience, approved unless asked otherwise."""

    def make(*, approved: bool = True, **content):
        return make_testimonial(state="approved" if approved else "pending", **content)

    return make
