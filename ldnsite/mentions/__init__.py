"""@mentions: a member names another with `@` and their display name; the text keeps the member's id.

- text.py: what a post's text holds. store() turns `@Exact Name` into `@[<id>]` when a form is saved (at
  most MAX_MENTIONS members a post), as_text() turns ids back into `@Current Name` (edit forms, e-mail,
  export), mentioned_members() is who a post mentions, for notifications.
- html.py: ldnsite.markdown renders each `@[<id>]` of a text rendered with ``mentions=True`` as a
  placeholder; the middleware here replaces every placeholder of a page with the member's current name,
  linked to their page where they have one, in one query for the whole page.
- forms.py: MentionsField, a form's text box that does store() and offers names as one types (static/js).
- views.py: the names offered as one types (/members/mentionable/?q=).

See docs/mentions.md.
"""
