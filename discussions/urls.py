from django.urls import path

from . import views

app_name = "discussions"

urlpatterns = [
    path("", views.TopicListView.as_view(), name="list"),
    path("new/", views.new_topic, name="new"),
    path("<int:pk>/", views.TopicDetailView.as_view(), name="detail"),
    path("<int:pk>/report/", views.report_topic, name="report"),
    path("<int:pk>/moderate/<str:action>/", views.moderate_topic, name="moderate"),
]
