from django.urls import path

from . import views

app_name = "mentions"

urlpatterns = [
    path("", views.mentionable, name="mentionable"),
]
