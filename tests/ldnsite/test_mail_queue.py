"""Outgoing e-mail is a row written with the change that causes it, delivered after the commit, retried with
growing waits when the mail server fails, and never lost or turned into an error page.

The worker is Celery running eagerly here (no REDIS_URL); tests/e2e runs a real worker and SMTP server.
"""

import re
import socket
import uuid
from datetime import timedelta

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone
from post_office.models import STATUS, Email

from ldnsite.comments.models import Comment
from ldnsite.mail import delivery, tasks
from ldnsite.notifications.models import EmailPreference
from testimonials import moderation as testimonial_moderation
from tests.clients import PassedTwoFactorClient as Client
from tests.factories import story

pytestmark = pytest.mark.django_db


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses every connection."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError(111, "Connection refused")


@pytest.fixture
def mail_server_down(settings):
    settings.POST_OFFICE = {**settings.POST_OFFICE, "BACKENDS": {"default": f"{__name__}.RefusingBackend"}}


@pytest.fixture
def mail_server_back(settings):
    def back():
        settings.POST_OFFICE = {
            **settings.POST_OFFICE,
            "BACKENDS": {"default": "django.core.mail.backends.locmem.EmailBackend"},
        }

    return back


@pytest.fixture
def conversation(make_user, make_article, settings):
    """An article where Ada follows the discussion and Bo (who may post without a hold) replies to her."""
    settings.COMMENTS_HOLD_FIRST_COMMENT = False
    article = make_article(slug="ldn-and-sleep", title="LDN and sleep")
    ada, bo = make_user(display_name="Ada"), make_user(display_name="Bo")
    return article, ada, bo


def post(author, article, body: str, *, parent=None, follow=False):
    client = Client(raise_request_exception=False)
    client.force_login(author)
    data = {"body": body, "token": str(uuid.uuid4())}
    if follow:
        data["subscribe"] = "on"
    url = f"/comments/article/{article.slug}/new/"
    if parent is not None:
        url = f"/comments/article/{article.slug}/reply/{parent.pk}/"
        data["parent"] = str(parent.pk)
    return client.post(url, data)


def make_due(email: Email) -> None:
    """Let the wait before this mail's next try pass."""
    Email.objects.filter(pk=email.pk).update(scheduled_time=timezone.now() - timedelta(seconds=1))


def test_a_reply_is_queued_with_the_comment_and_delivered_after_the_commit(
    conversation, mailoutbox, django_capture_on_commit_callbacks
):
    article, ada, bo = conversation
    with django_capture_on_commit_callbacks(execute=True):
        post(ada, article, "Does LDN change how you sleep?", follow=True)
    root = Comment.objects.on(article).get()

    with django_capture_on_commit_callbacks(execute=True):
        response = post(bo, article, "Vivid dreams for two weeks, then fine", parent=root)
        queued = Email.objects.get()
        assert queued.status == STATUS.queued and queued.to == [ada.email]
        assert mailoutbox == []  # the web request only wrote the row

    assert response.status_code == 302
    queued.refresh_from_db()
    assert queued.status == STATUS.sent
    [mail] = mailoutbox
    assert mail.to == [ada.email] and "Vivid dreams for two weeks" in mail.body


def test_a_refusing_mail_server_neither_fails_the_reply_nor_loses_the_mail(
    conversation, mailoutbox, mail_server_down, mail_server_back, django_capture_on_commit_callbacks
):
    article, ada, bo = conversation
    with django_capture_on_commit_callbacks(execute=True):
        post(ada, article, "Anyone tried a lower dose?", follow=True)
        response = post(bo, article, "I started at 1.5 mg", parent=Comment.objects.on(article).get())

    # The reply is saved and acknowledged, and Bo's text is on the page.
    assert response.status_code == 302
    assert Comment.objects.on(article).filter(body="I started at 1.5 mg").exists()
    mail = Email.objects.get()
    assert mail.status == STATUS.requeued and mail.number_of_retries == 1
    assert mailoutbox == []

    # The next try waits, and each failure after it waits twice as long.
    first_wait = mail.scheduled_time - mail.last_updated
    assert first_wait == timedelta(seconds=60)
    make_due(mail)
    tasks.sweep_queued_mail()
    mail.refresh_from_db()
    assert mail.number_of_retries == 2 and mail.scheduled_time - mail.last_updated == timedelta(seconds=120)

    # Once the server is back, the clock's sweep delivers it: exactly once.
    mail_server_back()
    tasks.sweep_queued_mail()
    assert mailoutbox == []  # not before its wait is over
    make_due(mail)
    tasks.sweep_queued_mail()
    tasks.sweep_queued_mail()
    mail.refresh_from_db()
    assert mail.status == STATUS.sent
    assert [m.to for m in mailoutbox] == [[ada.email]]


def test_the_waits_between_tries_add_up_to_more_than_a_day_before_a_mail_is_given_up(settings):
    waits = [delivery.retry_wait(n) for n in range(1, settings.MAIL_MAX_RETRIES + 1)]
    assert waits[:3] == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
    assert max(waits) == timedelta(hours=4)
    assert sum(waits, timedelta()) > timedelta(hours=24)


def test_after_the_last_try_the_mail_is_marked_failed_and_listed_for_staff(
    conversation, mail_server_down, django_capture_on_commit_callbacks, make_user
):
    article, ada, bo = conversation
    with django_capture_on_commit_callbacks(execute=True):
        post(ada, article, "Question", follow=True)
        post(bo, article, "Answer UNDELIVERABLE-7", parent=Comment.objects.on(article).get())
    mail = Email.objects.get()
    for _ in range(20):
        make_due(mail)
        tasks.sweep_queued_mail()
    mail.refresh_from_db()
    assert mail.status == STATUS.failed

    admin = make_user(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    page = client.get("/admin/post_office/email/", {"status__exact": STATUS.failed})
    assert page.status_code == 200
    assert ada.email in page.content.decode()


def test_a_moderators_decision_survives_a_refusing_mail_server(
    make_user, make_moderator, mail_server_down, django_capture_on_commit_callbacks
):
    moderator = make_moderator()
    testimonial = testimonial_moderation.submit(author=make_user(), content=story(), is_carer=False)
    client = Client(raise_request_exception=False)
    client.force_login(moderator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/moderation/testimonials/{testimonial.pk}/approve/", {"seen": testimonial.fingerprint}
        )

    assert response.status_code == 302
    testimonial.refresh_from_db()
    assert testimonial.status == testimonial.Status.APPROVED
    assert Email.objects.get().status == STATUS.requeued  # kept for the next try


def test_a_members_words_in_a_mail_are_never_run_as_a_template(
    make_user, make_moderator, mailoutbox, django_capture_on_commit_callbacks
):
    moderator = make_moderator()
    title = "{{ 7*7 }} {% debug %} {{ settings.SECRET_KEY }}"
    author = make_user()
    testimonial = testimonial_moderation.submit(author=author, content=story(title=title), is_carer=False)

    with django_capture_on_commit_callbacks(execute=True):
        testimonial_moderation.approve(testimonial, by=moderator)

    [mail] = mailoutbox
    assert title in mail.body
    # Links hold row ids, which on PostgreSQL can contain "49" (sequences are not reset between tests).
    words = re.sub(r"https?://\S+", "", mail.body)
    assert "sys.modules" not in mail.body and "49" not in words


def test_a_broker_that_cannot_take_the_request_loses_nothing(
    conversation, mailoutbox, settings, django_capture_on_commit_callbacks, caplog
):
    """Redis down at commit time: the request still answers, and the clock's sweep delivers the mail."""
    article, ada, bo = conversation
    with socket.socket() as closed:  # a port with nobody listening
        closed.bind(("127.0.0.1", 0))
        dead_port = closed.getsockname()[1]
    settings.CELERY_TASK_ALWAYS_EAGER = False
    from ldnsite.celery import app

    app.conf.broker_url = f"redis://127.0.0.1:{dead_port}/0"
    try:
        with django_capture_on_commit_callbacks(execute=True):
            post(ada, article, "Question", follow=True)
            response = post(bo, article, "Answer kept in the queue", parent=Comment.objects.on(article).get())
    finally:
        app.conf.broker_url = settings.CELERY_BROKER_URL
        settings.CELERY_TASK_ALWAYS_EAGER = True

    assert response.status_code == 302
    assert "the broker did not take the delivery request" in caplog.text
    assert Email.objects.get().status == STATUS.queued and mailoutbox == []

    tasks.sweep_queued_mail()
    assert [m.to for m in mailoutbox] == [[ada.email]]


def test_one_delivery_at_a_time(conversation, mailoutbox, django_capture_on_commit_callbacks):
    """Two workers must not send the same row twice: a second delivery waits for the first's lock."""
    from django.core.cache import cache

    article, ada, bo = conversation
    cache.add(delivery.LOCK_KEY, True, 60)  # another worker is delivering
    with django_capture_on_commit_callbacks(execute=True):
        post(ada, article, "Question", follow=True)
        post(bo, article, "Answer", parent=Comment.objects.on(article).get())
    assert mailoutbox == [] and Email.objects.get().status == STATUS.queued

    cache.delete(delivery.LOCK_KEY)
    tasks.sweep_queued_mail()
    assert len(mailoutbox) == 1


def reply_that_waits(conversation, body: str, capture) -> tuple[Email, object]:
    """Bo replies to Ada while the mail server refuses: (the mail waiting for its retry, the root comment)."""
    article, ada, bo = conversation
    with capture(execute=True):
        post(ada, article, "Question", follow=True)
        root = Comment.objects.on(article).get()
        post(bo, article, body, parent=root)
    waiting = Email.objects.get()
    assert waiting.status == STATUS.requeued and waiting.scheduled_time > timezone.now()
    return waiting, root


def test_once_the_mail_server_answers_again_mail_that_waited_for_it_goes_out_at_once(
    conversation, mailoutbox, mail_server_down, mail_server_back, django_capture_on_commit_callbacks
):
    """Its growing wait is for a server that stays down; the first mail that gets through ends it."""
    article, _ada, bo = conversation
    waiting, root = reply_that_waits(conversation, "Answer WAITED-1", django_capture_on_commit_callbacks)

    mail_server_back()
    with django_capture_on_commit_callbacks(execute=True):
        post(bo, article, "Another answer NEW-2", parent=root)

    assert sorted("WAITED-1" in m.body for m in mailoutbox) == [False, True]
    waiting.refresh_from_db()
    assert waiting.status == STATUS.sent


def test_a_mail_the_server_refused_by_itself_keeps_its_wait(
    conversation, mailoutbox, mail_server_down, mail_server_back, django_capture_on_commit_callbacks
):
    """A refusal of one message (not an unreachable server) is not hurried by other mail getting through."""
    from post_office.models import Log

    article, _ada, bo = conversation
    refused, root = reply_that_waits(conversation, "Answer REFUSED-1", django_capture_on_commit_callbacks)
    Log.objects.filter(email=refused).update(exception_type="SMTPRecipientsRefused")

    mail_server_back()
    with django_capture_on_commit_callbacks(execute=True):
        post(bo, article, "Another answer NEW-2", parent=root)

    assert ["NEW-2" in m.body for m in mailoutbox] == [True]
    refused.refresh_from_db()
    assert refused.status == STATUS.requeued and refused.scheduled_time > timezone.now()


class FlakyBackend(BaseEmailBackend):
    """A relay under load: it drops the connection for one recipient and takes everyone else's mail."""

    dropped_for = ""

    def send_messages(self, email_messages):
        for message in email_messages:
            if message.to == [self.dropped_for]:
                raise ConnectionResetError(104, "Connection reset by peer")
        return len(email_messages)


def test_a_flaky_server_does_not_use_up_a_mails_tries_in_one_delivery(
    conversation, make_user, settings, monkeypatch, django_capture_on_commit_callbacks
):
    article, ada, bo = conversation
    monkeypatch.setattr(FlakyBackend, "dropped_for", ada.email)
    settings.POST_OFFICE = {**settings.POST_OFFICE, "BACKENDS": {"default": f"{__name__}.FlakyBackend"}}
    cy = make_user(display_name="Cy")
    EmailPreference.objects.create(member=cy, kind="followed", delivery="immediately")
    with django_capture_on_commit_callbacks(execute=True):
        post(ada, article, "Question", follow=True)
        post(cy, article, "Me too", follow=True)
        post(bo, article, "An answer for both", parent=Comment.objects.on(article).first())

    mails = list(Email.objects.all())
    to_ada = [mail for mail in mails if mail.to == [ada.email]]
    assert to_ada and all(m.status == STATUS.requeued for m in to_ada)
    assert {m.number_of_retries for m in to_ada} == {1}  # each tried once, not again and again
    assert [m.status for m in mails if m.to == [cy.email]] == [STATUS.sent]


def test_sent_and_failed_mail_is_deleted_after_a_month_and_waiting_mail_is_kept():
    old = timezone.now() - timedelta(days=tasks.KEEP_SENT_DAYS + 1)
    for status in (STATUS.sent, STATUS.failed, STATUS.queued, STATUS.requeued):
        Email.objects.create(
            from_email="site@example.org",
            to=["someone@example.org"],
            subject=f"status {status}",
            status=status,
        )
    Email.objects.update(last_updated=old)
    Email.objects.create(
        from_email="site@example.org",
        to=["someone@example.org"],
        subject="sent yesterday",
        status=STATUS.sent,
    )

    tasks.delete_old_mail()

    kept = set(Email.objects.values_list("subject", flat=True))
    assert kept == {f"status {STATUS.queued}", f"status {STATUS.requeued}", "sent yesterday"}


def test_a_member_who_leaves_takes_their_mail_with_them(conversation, django_capture_on_commit_callbacks):
    """Waiting and sent mail holds their address and the words sent to them: it goes with the account."""
    from ldnsite.accounts.data import delete_member

    article, ada, bo = conversation
    with django_capture_on_commit_callbacks(execute=True):
        post(ada, article, "Question", follow=True)
        post(bo, article, "Answer for Ada", follow=True, parent=Comment.objects.on(article).get())
        post(ada, article, "Thanks, Bo", parent=Comment.objects.on(article).get(body="Answer for Ada"))
    assert sorted(mail.to[0] for mail in Email.objects.all()) == sorted([ada.email, bo.email])

    delete_member(ada, keep_experiences=False)

    assert [mail.to for mail in Email.objects.all()] == [[bo.email]]


class SlowBackend(BaseEmailBackend):
    """A delivery so slow that its lock expires and another worker's delivery takes the lock meanwhile."""

    def send_messages(self, email_messages):
        from django.core.cache import cache

        cache.set(delivery.LOCK_KEY, "another worker's", 60)
        return len(email_messages)


def test_a_delivery_never_releases_another_deliverys_lock(
    conversation, settings, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    article, ada, bo = conversation
    settings.POST_OFFICE = {**settings.POST_OFFICE, "BACKENDS": {"default": f"{__name__}.SlowBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        post(ada, article, "Question", follow=True)
        post(bo, article, "Answer", parent=Comment.objects.on(article).get())

    assert Email.objects.get().status == STATUS.sent
    assert cache.get(delivery.LOCK_KEY) == "another worker's"
