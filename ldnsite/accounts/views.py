from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from ldnsite.comments.models import Comment
from testimonials.models import DisplayAs, Testimonial


def profile(request: HttpRequest, pk: int) -> HttpResponse:
    """A member's public page: display name, when they joined, public comments, and the published experiences
    they chose to show under their name. Never the e-mail, nor an experience shared as "a member with …"."""
    member = get_object_or_404(
        get_user_model().objects.filter(is_active=True).only("display_name", "date_joined"), pk=pk
    )
    comments = (
        Comment.objects.public()
        .filter(author=member)
        .select_related("thread__article", "thread__study", "thread__testimonial")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(comments, 20).get_page(request.GET.get("page"))
    experiences = (
        Testimonial.objects.public()
        .filter(author=member, display_as=DisplayAs.DISPLAY_NAME)
        .only("pk", "title", "approved_at")
        .order_by("-approved_at", "-pk")
    )
    return render(
        request, "accounts/profile.html", {"member": member, "page_obj": page, "experiences": experiences}
    )
