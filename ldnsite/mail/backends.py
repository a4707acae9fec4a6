"""The e-mail backend of the site (settings.EMAIL_BACKEND): it queues, it never sends.

Why not post_office's own EmailBackend: it stores each message through ``post_office.mail.create()``, which
renders the subject and body as Django templates. Our mail quotes members' words (a story's title, a reply),
so a member who writes ``{{ 7*7 }}`` would break the transaction that approves their story, and one who writes
``{% debug %}`` would have the server's modules listed in an e-mail. Here each message is stored exactly as
written; post_office's model, admin list, retries and delivery are used as they are.
"""

from email.utils import make_msgid

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from post_office.models import PRIORITY, STATUS, Email
from post_office.settings import get_message_id_enabled, get_message_id_fqdn
from post_office.signals import email_queued


def _html_body(message) -> str:
    for content, mimetype in getattr(message, "alternatives", None) or []:
        if mimetype == "text/html":
            return content
    return ""


class QueueBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        emails = []
        for message in email_messages:
            if message.attachments:
                raise ValueError("The mail queue stores no attachments; no mail of this site has any.")
            headers = dict(message.extra_headers)
            if message.reply_to:
                headers.setdefault("Reply-To", ", ".join(message.reply_to))
            emails.append(
                Email(
                    from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
                    to=list(message.to),
                    cc=list(message.cc),
                    bcc=list(message.bcc),
                    subject=message.subject,
                    message=message.body,
                    html_message=_html_body(message),
                    headers=headers or None,
                    message_id=make_msgid(domain=get_message_id_fqdn()) if get_message_id_enabled() else None,
                    priority=PRIORITY.medium,
                    status=STATUS.queued,
                )
            )
        for email in emails:
            email.save()
        if emails:
            email_queued.send(sender=Email, emails=emails)
        return len(emails)
