"""/contact/: a message reaches the editors through the mail queue after the commit; bad input, a rate limit
or a missing recipient gives the form back with the text in it; a double submit sends one message."""

import uuid

import pytest
from post_office.models import STATUS, Email

MESSAGE = "The dose in the Cree 2010 summary says 4.5 mg; zq-contact-marker."


def form(**fields) -> dict:
    data = {
        "name": "Ada Reader",
        "email": "ada.reader@example.org",
        "topic": "correction",
        "message": MESSAGE,
        "token": str(uuid.uuid4()),
    }
    return {**data, **fields}


@pytest.fixture(autouse=True)
def _no_recipient_setting(settings):
    settings.CONTACT_EMAILS = []
    settings.ADMINS = []


@pytest.mark.django_db
def test_the_form_says_first_that_it_is_not_for_emergencies(client):
    html = client.get("/contact/").content.decode()

    assert html.index("Not for medical emergencies") < html.index("<form")
    assert "call your local emergency number" in html.replace("<strong>", "").replace("</strong>", "")
    assert 'name="csrfmiddlewaretoken"' in html


@pytest.mark.django_db
def test_a_message_reaches_the_editors_after_the_commit(
    client, editor, make_user, mailoutbox, django_capture_on_commit_callbacks
):
    other_editor = make_user(groups=["Editors"], is_staff=True)
    make_user(email="just.a.member@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/contact/", form())
        queued = Email.objects.get()
        assert queued.status == STATUS.queued
        assert mailoutbox == []  # the request only wrote the row

    assert response.status_code == 302 and response["Location"] == "/contact/sent/"
    assert "on its way" in client.get(response["Location"]).content.decode()
    [mail] = mailoutbox
    assert sorted(mail.to) == sorted([editor.email, other_editor.email])
    assert mail.message()["Reply-To"] == "ada.reader@example.org"
    assert mail.subject == "[ldnsite] Contact form: A mistake in an article or study summary"
    assert MESSAGE in mail.body and "Ada Reader <ada.reader@example.org>" in mail.body


@pytest.mark.django_db
def test_the_contact_address_setting_takes_the_place_of_the_editors(
    client, editor, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.CONTACT_EMAILS = ["editors@ldn.example"]

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/contact/", form(name=""))

    [mail] = mailoutbox
    assert mail.to == ["editors@ldn.example"]
    assert "(no name given) <ada.reader@example.org>" in mail.body


@pytest.mark.django_db
def test_member_text_goes_out_as_written(client, editor, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/contact/", form(message="{{ 7|add:1 }} {% now 'Y' %} <b>bold</b> & co"))

    [mail] = mailoutbox
    assert "{{ 7|add:1 }} {% now 'Y' %} <b>bold</b> & co" in mail.body


@pytest.mark.django_db
def test_sending_the_same_form_twice_sends_one_message(
    client, editor, mailoutbox, django_capture_on_commit_callbacks
):
    data = form()
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post("/contact/", data)
        second = client.post("/contact/", data)

    assert first.status_code == second.status_code == 302
    assert len(mailoutbox) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"email": "not-an-address"}, "Enter an e-mail address in the form name@example.org."),
        ({"email": ""}, "Enter your e-mail address, so that we can reply."),
        ({"topic": ""}, "Choose the topic that fits best."),
        ({"topic": "free-lunch"}, "Select a valid choice."),
        ({"message": ""}, "Your message is empty"),
        ({"message": MESSAGE + "x" * 5_000}, "Your message is too long"),
    ],
)
def test_bad_input_comes_back_with_a_clear_message_and_the_text_kept(client, editor, fields, error):
    data = form(**fields)

    response = client.post("/contact/", data)

    html = response.content.decode()
    assert response.status_code == 400
    assert error in html
    assert "Your text is still in the form" in html
    if fields.get("message", MESSAGE) == MESSAGE:
        assert MESSAGE in html
    assert "Ada Reader" in html
    assert Email.objects.count() == 0


@pytest.mark.django_db
def test_too_many_messages_from_one_address_are_refused_with_the_text_kept(
    client, editor, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.CONTACT_RATE_PER_ADDRESS = (2, 3600)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            assert client.post("/contact/", form()).status_code == 302

        response = client.post("/contact/", form(message="A third note, zq-third"))

    assert response.status_code == 429
    html = response.content.decode()
    assert "several messages in a short time, so this one was not sent" in html
    assert "try again in 1 hour" in html
    assert "A third note, zq-third" in html
    assert len(mailoutbox) == 2


@pytest.mark.django_db
def test_the_limit_per_ip_address_holds_across_sender_addresses(client, editor, settings):
    settings.CONTACT_RATE_PER_IP = (2, 3600)
    for n in range(2):
        assert client.post("/contact/", form(email=f"sender{n}@example.org")).status_code == 302

    response = client.post("/contact/", form(email="sender9@example.org"))
    other_ip = client.post("/contact/", form(email="sender9@example.org"), REMOTE_ADDR="10.0.0.9")

    assert response.status_code == 429
    assert other_ip.status_code == 302
    assert Email.objects.count() == 3


@pytest.mark.django_db
def test_a_form_without_csrf_token_is_refused(editor):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/contact/", form())

    assert response.status_code == 403
    assert Email.objects.count() == 0


@pytest.mark.django_db
def test_a_robot_that_fills_the_hidden_field_is_thanked_and_ignored(client, editor):
    response = client.post("/contact/", form(website="http://spam.example"))

    assert response.status_code == 302
    assert Email.objects.count() == 0


@pytest.mark.django_db
def test_with_nobody_to_receive_it_the_message_is_kept_in_the_form(client):
    response = client.post("/contact/", form())

    assert response.status_code == 503
    assert "not set up on this site yet" in response.content.decode()
    assert MESSAGE in response.content.decode()
    assert Email.objects.count() == 0


@pytest.mark.django_db
def test_an_inactive_editor_gets_no_mail(
    client, editor, make_user, mailoutbox, django_capture_on_commit_callbacks
):
    make_user(groups=["Editors"], is_staff=True, is_active=False, email="gone@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/contact/", form())

    assert [mail.to for mail in mailoutbox] == [[editor.email]]
