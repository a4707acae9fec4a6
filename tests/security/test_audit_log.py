"""The audit log (`ldnsite.audit`) says who did what and when, by id only: no e-mail address, password,
member text, or confirmation key ever reaches any log line."""

import logging
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from ldnsite.comments import moderation as comment_moderation
from ldnsite.comments.models import Comment, Thread
from testimonials import moderation as testimonial_moderation
from tests.clients import PassedTwoFactorClient as Client

PASSWORD = "correct-horse-9"
NEW_PASSWORD = "a-long-and-unusual-passphrase-42"
NARRATIVE = "My afternoons are easier now AUDIT-NARRATIVE-7f3."
TITLE = "Less fatigue AUDIT-TITLE-91c"
REJECTION = "Please remove the clinic name AUDIT-REASON-2d8"


@pytest.fixture(autouse=True)
def _capture(caplog):
    caplog.set_level(logging.DEBUG)  # everything any logger emits during the test
    return caplog


def audit_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "ldnsite.audit"]


def assert_no_secrets(caplog, *secrets: str) -> None:
    text = caplog.text
    for secret in secrets:
        assert secret not in text, secret


def story() -> dict:
    return {
        "title": TITLE,
        "ms_type": "rrms",
        "dose_mg": Decimal("4.5"),
        "time_on_ldn": "3-6m",
        "change": "better",
        "side_effects": [],
        "side_effects_other": "",
        "other_treatments": "",
        "narrative": NARRATIVE,
    }


@pytest.mark.django_db
def test_login_and_logout_are_logged_by_user_id(caplog, make_user):
    member = make_user(email="login.audit@example.org")
    client = Client()

    response = client.post("/accounts/login/", {"login": member.email, "password": PASSWORD})
    assert response.status_code == 302
    client.post("/accounts/logout/")

    lines = audit_lines(caplog)
    assert f"auth event=login user={member.pk} ip=127.0.0.1" in lines
    assert f"auth event=logout user={member.pk} ip=127.0.0.1" in lines
    assert_no_secrets(caplog, member.email, PASSWORD)


@pytest.mark.django_db
def test_failed_login_logs_only_the_failure_and_the_ip(caplog, make_user):
    member = make_user(email="failed.audit@example.org")
    wrong = "not-the-password-5512"

    response = Client().post("/accounts/login/", {"login": member.email, "password": wrong})
    assert response.status_code == 200

    assert audit_lines(caplog) == ["auth event=login_failed user=- ip=127.0.0.1"]
    assert_no_secrets(caplog, member.email, wrong, PASSWORD)


@pytest.mark.django_db
def test_signup_and_email_confirmation_are_logged_without_address_or_key(
    caplog, mailoutbox, django_capture_on_commit_callbacks
):
    email = "newcomer.audit@example.org"
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/accounts/signup/",
            {"email": email, "display_name": "Audit River", "password1": NEW_PASSWORD,
             "password2": NEW_PASSWORD},
        )  # fmt: skip
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/([^/\s]+)/)", mailoutbox[0].body)
    key = link.group(2)
    client.post(link.group(1))

    user = get_user_model().objects.get(email=email)
    lines = audit_lines(caplog)
    assert f"auth event=signup user={user.pk} ip=127.0.0.1" in lines
    assert f"auth event=email_confirmed user={user.pk} ip=127.0.0.1" in lines
    assert f"auth event=login user={user.pk} ip=127.0.0.1" in lines  # logged in on confirmation
    assert_no_secrets(caplog, email, NEW_PASSWORD, key)


@pytest.mark.django_db
def test_comment_hidden_by_reports_is_logged_without_its_text(
    caplog, settings, make_article, make_user, make_established
):
    settings.COMMENTS_HOLD_FIRST_COMMENT = False
    article = make_article()
    author = make_user(email="poster.audit@example.org")
    body = "LDN cures everything AUDIT-COMMENT-4e1"
    comment = comment_moderation.submit(Thread.objects.for_subject(article), author=author, body=body)
    reporters = [make_established() for _ in range(settings.COMMENTS_REPORTS_TO_HIDE)]
    for reporter in reporters:
        comment_moderation.report(comment, by=reporter, reason="misinformation", note="AUDIT-NOTE-0b5")

    comment.refresh_from_db()
    assert comment.status == Comment.Status.HIDDEN
    lines = audit_lines(caplog)
    assert f"moderation action=submit actor={author.pk} target=comments.comment:{comment.pk} " in lines[0]
    assert (
        f"moderation action=hide actor=- target=comments.comment:{comment.pk} from=published to=hidden "
        "reason_given=yes"
    ) in lines
    assert_no_secrets(caplog, body, "AUDIT-NOTE-0b5", author.email, *(r.email for r in reporters))


@pytest.mark.django_db
def test_testimonial_decisions_are_logged_without_text_reason_or_address(
    caplog, make_user, make_moderator, django_capture_on_commit_callbacks, mailoutbox
):
    author = make_user(email="author.audit@example.org")
    moderator = make_moderator(email="mod.audit@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        approved = testimonial_moderation.submit(author=author, content=story(), is_carer=False)
        testimonial_moderation.approve(approved, by=moderator)
        rejected = testimonial_moderation.submit(author=author, content=story(), is_carer=False)
        testimonial_moderation.reject(rejected, by=moderator, reason=REJECTION)

    assert len(mailoutbox) == 2  # the decision e-mails went out, and still nothing of them in the logs
    lines = audit_lines(caplog)
    target = "testimonials.testimonial"
    assert (
        f"moderation action=approve actor={moderator.pk} target={target}:{approved.pk} from=pending "
        "to=approved reason_given=no"
    ) in lines
    assert (
        f"moderation action=reject actor={moderator.pk} target={target}:{rejected.pk} from=pending "
        "to=rejected reason_given=yes"
    ) in lines
    assert_no_secrets(caplog, NARRATIVE, TITLE, REJECTION, author.email, moderator.email)
