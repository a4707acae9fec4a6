from django.urls import path

from . import views

app_name = "moderation"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("testimonials/decide/", views.decide_testimonials_in_bulk, name="decide_testimonials_in_bulk"),
    path("testimonials/<int:pk>/<str:action>/", views.decide_testimonial, name="decide_testimonial"),
    path("revisions/<int:pk>/<str:action>/", views.decide_revision, name="decide_revision"),
    path("comments/<int:pk>/<str:action>/", views.decide_comment, name="decide_comment"),
    path(
        "comments/<int:pk>/edit/<str:action>/", views.decide_comment_revision, name="decide_comment_revision"
    ),
]
