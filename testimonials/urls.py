from django.urls import path
from django.views.generic import TemplateView

app_name = "testimonials"

urlpatterns = [
    # Member experiences arrive with the testimonials feature; until then this page says what is coming.
    path("", TemplateView.as_view(template_name="testimonials/testimonial_list.html"), name="list"),
]
