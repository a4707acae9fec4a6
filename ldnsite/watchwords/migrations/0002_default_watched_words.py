"""The defaults: the story form's e-mail, phone and link detection (flag, the same patterns it used, so stories
behave as before), selling or sourcing LDN (hold) and cure claims (hold; docs/watched-words.md says why).
Moderators may manage the list."""

from django.db import migrations

from ldnsite.permissions import grant_group, revoke_group

MODERATOR_PERMISSIONS = {"watchwords": ["manage_watched_words"]}

# The link pattern once ran on the text with e-mail addresses taken out; the look-behinds do that now: a
# domain right after "@" (or inside a longer name) is the address's, not a link.
DEFAULTS = [
    {
        "key": "email",
        "label": "an e-mail address",
        "match_type": "regex",
        # Bounded repeats (RFC 5321 lengths): an unbounded "[\w.+-]+@" is quadratic in the text's length.
        "pattern": r"[\w.+-]{1,64}@[\w-]{1,63}\.[\w.-]{1,253}",
        "action": "flag",
    },
    {
        "key": "phone",
        "label": "a phone number",
        "match_type": "regex",
        "pattern": r"(?:\+?\d[\s().-]?){8,}",
        "action": "flag",
    },
    {
        "key": "link",
        "label": "a web link",
        "match_type": "regex",
        "pattern": r"(?:https?://|(?<![@\w.-])www\.)\S+"
        r"|(?<![@\w.-])[\w.-]{0,253}[\w-]\.(?:com|org|net|uk|de|io|info|shop)\b",
        "action": "flag",
    },
    {
        "key": "selling",
        "label": "selling or sourcing LDN",
        "match_type": "phrases",
        "pattern": "\n".join([
            "buy ldn", "buy naltrexone", "buying ldn", "order ldn", "order naltrexone", "sell ldn",
            "selling ldn", "sells ldn", "ldn for sale", "naltrexone for sale", "without a prescription",
            "without prescription", "no prescription needed", "online pharmacy", "discount code",
        ]),
        "action": "hold",
    },
    {
        "key": "cure-claims",
        "label": "a cure claim",
        "match_type": "phrases",
        "pattern": "\n".join([
            "cures ms", "cured my ms", "cured of ms", "cure for ms", "cures multiple sclerosis",
            "cure for multiple sclerosis", "miracle cure", "reverses ms", "reversed my ms",
        ]),
        "action": "hold",
    },
]  # fmt: skip


def add_defaults(apps, schema_editor):
    WatchedWord = apps.get_model("watchwords", "WatchedWord")
    for default in DEFAULTS:
        WatchedWord.objects.update_or_create(key=default["key"], defaults=default)
    grant_group(apps, schema_editor, "Moderators", MODERATOR_PERMISSIONS)


def remove_defaults(apps, schema_editor):
    WatchedWord = apps.get_model("watchwords", "WatchedWord")
    WatchedWord.objects.filter(key__in=[default["key"] for default in DEFAULTS]).delete()
    revoke_group(apps, schema_editor, "Moderators", MODERATOR_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("watchwords", "0001_watched_words_and_their_matches"),
        ("moderation", "0002_moderators_group"),
    ]

    operations = [migrations.RunPython(add_defaults, remove_defaults)]
