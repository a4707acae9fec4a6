from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from markdownx.models import MarkdownxField

from ldnsite.markdown import MAX_LENGTH

from .managers import SitePageQuerySet


class PageSlug(models.TextChoices):
    """The pages, by address: /about/, /editorial-policy/ ... The URL names are the slugs with underscores."""

    ABOUT = "about", "About"
    EDITORIAL_POLICY = "editorial-policy", "Editorial policy"
    PRIVACY = "privacy", "Privacy"
    TERMS = "terms", "Terms of use"
    GUIDELINES = "guidelines", "Community guidelines"
    CONTACT = "contact", "Contact"

    @property
    def url_name(self) -> str:
        return f"pages:{self.value.replace('-', '_')}"


class SitePage(models.Model):
    """One of the site's own pages (about, policies, contact): Markdown written by editors in the admin.

    The set of pages is fixed by their addresses: a data migration creates one row per slug, and the admin
    neither adds nor deletes them.
    """

    Slug = PageSlug

    slug = models.SlugField(max_length=40, unique=True, choices=PageSlug, editable=False)
    title = models.CharField(max_length=120)
    summary = models.CharField(
        max_length=300, help_text="One sentence: the page's description for search engines and link previews."
    )
    body = MarkdownxField(validators=[MaxLengthValidator(MAX_LENGTH)], help_text="Markdown.")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = SitePageQuerySet.as_manager()

    class Meta:
        verbose_name = "site page"
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(slug__in=PageSlug.values), name="pages_known_slug"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(PageSlug(self.slug).url_name)
