from django.contrib import admin, messages
from django.template.response import TemplateResponse

from ldnsite.moderation.actions import decide_after_reading
from ldnsite.privileges import privileges
from ldnsite.records import RecordAdmin

from . import moderation
from .managers import MODERATE_PERMISSION
from .models import Testimonial, TestimonialContent, TestimonialRevision
from .queue import RejectionForm, record_rows


def _read_testimonial(testimonial: Testimonial) -> dict:
    return {
        "heading": testimonial.title,
        "status": testimonial.get_status_display().lower(),
        "details": record_rows(testimonial, testimonial.author),
        "text": testimonial.narrative,
        "version": testimonial.fingerprint,
    }


class RevisionInline(admin.StackedInline):
    """Edits of a published testimonial; read here, decided in the moderation queue."""

    model = TestimonialRevision
    extra = 0
    can_delete = False
    fields = [
        "status", "created_at", "moderated_by", "moderated_at", "rejection_reason",
        *TestimonialContent.CONTENT_FIELDS,
    ]  # fmt: skip
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Testimonial)
class TestimonialAdmin(RecordAdmin):
    """Moderators read member experiences here; every change of state goes through testimonials.moderation.
    Read-only like a record: state moves only through the actions below, content only through its author, and
    authors delete their own (the log records it) while moderators reject."""

    list_display = ["title", "status", "author", "submitted_at", "moderated_by"]
    list_filter = ["status", "ms_type", "change"]
    list_select_related = ["author", "moderated_by"]
    search_fields = ["title"]
    date_hierarchy = "submitted_at"
    ordering = ["-submitted_at", "-pk"]
    readonly_fields = [
        "status", "author", "is_carer", *TestimonialContent.CONTENT_FIELDS, "submitted_at", "created_at",
        "approved_at", "moderated_at", "moderated_by", "rejection_reason", "consent_version", "consented_at",
    ]  # fmt: skip
    fields = readonly_fields
    inlines = [RevisionInline]
    actions = ["approve_selected", "reject_selected"]

    def has_moderate_permission(self, request) -> bool:
        return privileges(request).has(MODERATE_PERMISSION)

    def _others_only(self, request, queryset):
        """Moderators do not decide on their own writing (as in the queue): another moderator does."""
        if queryset.filter(author=request.user).exists():
            self.message_user(
                request, "Your own experiences were left for another moderator to decide.", messages.WARNING
            )
        return queryset.exclude(author=request.user)

    @admin.action(description="Approve and publish the selected experiences", permissions=["moderate"])
    def approve_selected(self, request, queryset) -> TemplateResponse | None:
        """First show each experience in full; then publish the versions read."""
        return decide_after_reading(
            self, request, self._others_only(request, queryset), moderation.approve,
            done="experience(s) published", title="Approve and publish member experiences",
            explanation="Only experiences that are still waiting for a moderator can be published; any "
            "others are left as they are. Each author gets an e-mail.",
            button="Publish these experiences", read=_read_testimonial,
        )  # fmt: skip

    @admin.action(description="Reject the selected experiences, with a reason…", permissions=["moderate"])
    def reject_selected(self, request, queryset) -> TemplateResponse | None:
        """First show each experience and ask for the reason the authors will read; then reject with it."""
        return decide_after_reading(
            self, request, self._others_only(request, queryset), moderation.reject,
            done="experience(s) rejected", title="Reject member experiences",
            explanation="Only experiences that are still waiting for a moderator can be rejected; any others "
            "are left as they are, and you are told which. Each author gets an e-mail with the reason.",
            button="Reject with this reason", read=_read_testimonial, form_class=RejectionForm,
            reason_from=lambda form: form.full_reason,
        )  # fmt: skip
