from django.urls import path

from . import summary, views

app_name = "testimonials"

urlpatterns = [
    path("", views.TestimonialListView.as_view(), name="list"),
    path("new/", views.submit, name="submit"),
    path("mine/", views.mine, name="mine"),
    path("summary/", summary.summary_page, name="summary"),
    path("<int:pk>/", views.TestimonialDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/delete/", views.delete, name="delete"),
]
