"""Load the demo content: one article, six study summaries, a few resources; demo accounts, member
experiences and discussion topics when DEBUG is on. Each app builds its own (articles/demo.py,
testimonials/demo.py, discussions/demo.py).

Safe to run again: content is updated in place by slug, and nothing is duplicated.
"""

import secrets

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from articles import demo as articles_demo
from discussions import demo as discussions_demo
from ldnsite.http import absolute_url
from testimonials import demo as testimonials_demo

EDITORIAL_TEAM = {"email": "editorial-team@ldnsite.invalid", "display_name": "ldnsite editorial team"}
DEMO_ACCOUNTS = [
    # (e-mail, display name, is_staff, groups)
    ("editor@example.com", "Demo editor", True, ["Editors"]),
    ("moderator@example.com", "Demo moderator", True, ["Moderators"]),
    ("member@example.com", "Demo member", False, []),
]


class Command(BaseCommand):
    help = (
        "Load (or refresh) the demo article, study summaries and resources; demo accounts only with DEBUG on."
    )

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            studies, article = articles_demo.load(self._editorial_team())
        self.stdout.write(
            self.style.SUCCESS(f"Demo content ready: {len(studies)} study summaries and “{article.title}”.")
        )
        if settings.DEBUG:
            self._demo_accounts()
            self._demo_experiences()
        else:
            self.stdout.write("DEBUG is off, so no demo accounts were created.")

    def _editorial_team(self):
        User = get_user_model()
        team, created = User.objects.get_or_create(
            email=EDITORIAL_TEAM["email"],
            defaults={"display_name": EDITORIAL_TEAM["display_name"], "is_team_account": True},
        )
        if created:
            team.set_unusable_password()
            team.save(update_fields=["password"])
        elif not team.is_team_account:  # loaded before accounts could say so
            team.is_team_account = True
            team.save(update_fields=["is_team_account"])
        return team

    def _demo_accounts(self) -> None:
        User = get_user_model()
        self.stdout.write("\nDemo accounts (DEBUG is on; passwords are new on every run):")
        for email, display_name, is_staff, groups in DEMO_ACCOUNTS:
            user, _ = User.objects.get_or_create(email=email, defaults={"display_name": display_name})
            password = secrets.token_urlsafe(12)
            user.set_password(password)
            user.is_staff = is_staff
            user.save()
            user.groups.set(Group.objects.filter(name__in=groups))
            EmailAddress.objects.update_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            self.stdout.write(f"  {display_name:<15} {email:<24} password: {password}")
        self.stdout.write(f"Log in at {absolute_url('/accounts/login/')} (editors also reach /admin/).")

    def _demo_experiences(self) -> None:
        User = get_user_model()
        member = User.objects.get(email="member@example.com")
        moderator = User.objects.get(email="moderator@example.com")
        if testimonials_demo.add_demo_experiences(member=member, moderator=moderator):
            self.stdout.write("Six labelled demo member experiences were added and approved.")
        if discussions_demo.add_demo_topics(member=member, moderator=moderator):
            self.stdout.write("Three labelled demo discussion topics were added, with replies.")
