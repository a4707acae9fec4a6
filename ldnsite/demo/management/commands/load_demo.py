"""Load the demo content: one article, six study summaries, a few resources; demo accounts when DEBUG is on.

Safe to run again: content is updated in place by slug, and nothing is duplicated.
"""

import datetime
import secrets

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from articles import demo, moderation
from articles.models import Article, Resource, Study
from testimonials import moderation as testimonial_moderation
from testimonials.models import Testimonial

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
            team = self._editorial_team()
            studies = {data["slug"]: self._study(data, team) for data in demo.STUDIES}
            article = self._article(demo.ARTICLE, team, studies)
        self.stdout.write(
            self.style.SUCCESS(f"Demo content ready: {len(studies)} study summaries and “{article.title}”.")
        )
        if settings.DEBUG:
            self._demo_accounts()
            self._demo_testimonials()
        else:
            self.stdout.write("DEBUG is off, so no demo accounts were created.")

    def _editorial_team(self):
        User = get_user_model()
        team, created = User.objects.get_or_create(
            email=EDITORIAL_TEAM["email"], defaults={"display_name": EDITORIAL_TEAM["display_name"]}
        )
        if created:
            team.set_unusable_password()
            team.save(update_fields=["password"])
        return team

    def _study(self, data: dict, team) -> Study:
        fields = {key: value for key, value in data.items() if key != "slug"}
        study, _ = Study.objects.update_or_create(slug=data["slug"], defaults=fields)
        study.full_clean()
        if not study.is_published:
            moderation.publish(study, by=team)
        return study

    def _article(self, data: dict, team, studies: dict[str, Study]) -> Article:
        fields = {key: data[key] for key in ("title", "summary", "body")}
        fields["last_reviewed_on"] = datetime.date.fromisoformat(data["last_reviewed_on"])
        article, created = Article.objects.update_or_create(
            slug=data["slug"], defaults=fields, create_defaults={**fields, "author": team}
        )
        article.full_clean()
        article.studies.set([studies[key] for key in data["study_keys"]])
        for position, resource in enumerate(demo.RESOURCES):
            values = {key: resource[key] for key in ("kind", "title", "note")}
            values["position"] = position
            if resource["published_on"]:
                values["published_on"] = datetime.date.fromisoformat(resource["published_on"])
            Resource.objects.update_or_create(article=article, url=resource["url"], defaults=values)
        if not article.is_published:
            moderation.publish(article, by=team)
        return article

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
        self.stdout.write("Log in at http://127.0.0.1:8000/accounts/login/ (editors also reach /admin/).")

    def _demo_testimonials(self) -> None:
        """Six approved, clearly labelled demo stories, so the member-experience pages show something."""
        User = get_user_model()
        member = User.objects.get(email="member@example.com")
        moderator = User.objects.get(email="moderator@example.com")
        if Testimonial.objects.filter(author=member, title__startswith="Demo:").exists():
            return
        narrative = "This is demo content for trying the site locally. It is not a real member's experience."
        rows = [
            ("rrms", "4.5", "1-2y", "better", ["vivid_dreams"]),
            ("rrms", "3", "6-12m", "no_change", ["sleep_problems"]),
            ("spms", "4.5", "2-5y", "better", ["none"]),
            ("ppms", "1.5", "3-6m", "no_change", ["headache", "vivid_dreams"]),
            ("rrms", "4.5", "1-3m", "much_better", ["vivid_dreams"]),
            ("unspecified", "2", "lt1m", "worse", ["nausea"]),
        ]
        for number, (ms_type, dose, time_on_ldn, change, side_effects) in enumerate(rows, start=1):
            testimonial = testimonial_moderation.submit(
                author=member,
                content={
                    "title": f"Demo: member experience {number}",
                    "ms_type": ms_type,
                    "dose_mg": dose,
                    "time_on_ldn": time_on_ldn,
                    "change": change,
                    "side_effects": side_effects,
                    "narrative": narrative,
                },
                is_carer=False,
            )
            testimonial_moderation.approve(testimonial, by=moderator)
        self.stdout.write("Six labelled demo member experiences were added and approved.")
