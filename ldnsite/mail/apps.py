from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "ldnsite.mail"
    label = "mail"
    verbose_name = "Outgoing e-mail"

    def ready(self):
        from django.core import checks
        from post_office.signals import email_queued

        from .checks import check_broker, check_site_url
        from .tasks import deliver_after_commit

        email_queued.connect(deliver_after_commit, dispatch_uid="ldnsite.mail.deliver_after_commit")
        checks.register(check_site_url, checks.Tags.security, deploy=True)
        checks.register(check_broker, checks.Tags.caches, deploy=True)
