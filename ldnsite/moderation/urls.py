from django.urls import path

from . import queue, views

app_name = "moderation"

# The decision views come from the apps that register queue sections (in their AppConfig.ready()).
urlpatterns = [path("", views.queue, name="queue"), *queue.urlpatterns()]
