from django.urls import path

from . import views

app_name = "helpful"

urlpatterns = [
    path("<str:kind>/<int:pk>/", views.toggle, name="toggle"),
]
