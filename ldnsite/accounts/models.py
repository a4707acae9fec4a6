from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from . import names
from .validators import validate_display_name


class UserManager(BaseUserManager):
    """Users are identified by e-mail; there is no username."""

    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        if not extra_fields.get("display_name"):
            raise ValueError("A public display name is required.")
        extra_fields["display_name"] = names.tidy(extra_fields["display_name"])
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A member. Logs in by e-mail, which is never shown publicly; appears everywhere by display name."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField("e-mail address", unique=True)
    display_name = models.CharField(
        "public display name",
        max_length=40,
        validators=[validate_display_name],
        help_text="Shown next to everything you write. Do not use your e-mail address or full name "
        "unless you want to be recognised.",
    )
    # What the name looks like (names.skeleton), unique: no two members' names can be told apart only by a
    # Cyrillic letter, a 0 for an O or a doubled space. Worked out from display_name whenever that changes.
    # Empty (NULL) only for the later of two old names that clashed before the rule (see migration 0002).
    display_name_skeleton = models.CharField(max_length=255, null=True, editable=False)
    is_team_account = models.BooleanField(
        "team account",
        default=False,
        help_text="A shared account that speaks for a team (such as the editorial team): what it writes is "
        "credited to an organisation, not a person, in what search engines read.",
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    objects = UserManager()

    class Meta:
        ordering = ["display_name"]
        constraints = [
            models.UniqueConstraint(
                Lower("display_name"),
                name="accounts_user_display_name_unique_ci",
                violation_error_message="That display name is already taken. Please choose another.",
            ),
            models.UniqueConstraint(
                fields=["display_name_skeleton"],
                name="accounts_user_display_name_skeleton_unique",
                violation_error_message=names.TAKEN,
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @classmethod
    def from_db(cls, db, field_names, values):
        user = super().from_db(db, field_names, values)
        user._stored_display_name = user.__dict__.get("display_name")
        return user

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)
        if fields is None or "display_name" in fields:
            self._stored_display_name = self.display_name

    def clean(self) -> None:
        """The admin's check (sign-up and the change page use names.is_taken directly)."""
        super().clean()
        if self.display_name:
            self.display_name = names.tidy(self.display_name)
            if self._name_changed() and names.is_taken(self.display_name, by=self if self.pk else None):
                raise ValidationError({"display_name": names.TAKEN})

    def _name_changed(self) -> bool:
        return self._state.adding or self.display_name != getattr(self, "_stored_display_name", None)

    def save(self, *args, **kwargs):
        # The skeleton follows the name, and only a new name: an old name that clashed keeps its empty one.
        if self._name_changed():
            self.display_name_skeleton = names.skeleton(self.display_name)
            update_fields = kwargs.get("update_fields")
            if update_fields is not None and "display_name" in update_fields:
                kwargs["update_fields"] = {*update_fields, "display_name_skeleton"}
        super().save(*args, **kwargs)
        self._stored_display_name = self.display_name

    def get_absolute_url(self) -> str:
        return reverse("home")

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.display_name


class DisplayNameChange(models.Model):
    """A member's earlier display name, for moderators (who otherwise could not tell that "Bea" who is
    reported today was "Ada" last month) and for the rule that a given-up name is not taken at once."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="display_name_changes"
    )
    old_name = models.CharField("earlier name", max_length=40)
    old_skeleton = models.CharField(max_length=255, db_index=True, editable=False)
    new_name = models.CharField("new name", max_length=40)
    changed_at = models.DateTimeField(default=timezone.now, db_index=True)
    # The member themselves, or the administrator who renamed them (None once that account is gone).
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = "display name change"

    def __str__(self) -> str:
        return f"{self.old_name} → {self.new_name}"
