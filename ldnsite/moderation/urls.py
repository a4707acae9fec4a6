from django.urls import path

from . import views

app_name = "moderation"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("comments/<int:pk>/<str:action>/", views.decide_comment, name="decide_comment"),
]
