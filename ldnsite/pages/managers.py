from django.db import models

# Who may edit the site's own pages. Spelled once, here; pages.apps registers it as an editor's permission.
EDIT_PERMISSION = "pages.change_sitepage"


class SitePageQuerySet(models.QuerySet):
    def public(self):
        """Every site page is public: the fixed six exist from the first migration and have no draft state."""
        return self.all()
