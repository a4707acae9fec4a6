from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "ldnsite.mail"
    label = "mail"
    verbose_name = "Outgoing e-mail"

    def ready(self):
        from post_office.signals import email_queued

        from .delivery import deliver_after_commit

        email_queued.connect(deliver_after_commit, dispatch_uid="ldnsite.mail.deliver_after_commit")
