from django.db import models

from . import targets


class NotificationQuerySet(models.QuerySet):
    def for_member(self, member):
        """The inbox's door: `member`'s notifications whose target they may still see (a reply hidden since,
        a story withdrawn, is not shown, nor counted)."""
        return self.filter(targets.visible_q(member), recipient=member)

    def unread(self):
        return self.filter(read_at__isnull=True)

    def about(self, obj):
        return self.filter(target_kind=targets.of(obj).kind, target_id=obj.pk)
