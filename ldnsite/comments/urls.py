from django.urls import path

from . import views

app_name = "comments"

urlpatterns = [
    path("<str:kind>/<slug:slug>/new/", views.post_comment, name="post"),
    path("<str:kind>/<slug:slug>/reply/<int:parent_pk>/", views.post_comment, name="reply"),
    path("<str:kind>/<slug:slug>/follow/", views.follow_thread, name="follow"),
    path("<int:pk>/edit/", views.edit_comment, name="edit"),
    path("<int:pk>/delete/", views.delete_comment, name="delete"),
    path("<int:pk>/report/", views.report_comment, name="report"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
