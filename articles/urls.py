from django.urls import path

from . import embed, views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/", views.ArticleListView.as_view(), name="article_list"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="article_detail"),
    path("articles/<slug:slug>/infographic.svg", embed.infographic_svg, name="infographic"),
    path("embed/<slug:slug>/", embed.embed, name="embed"),
    path("studies/", views.StudyListView.as_view(), name="study_list"),
    path("studies/<slug:slug>/", views.StudyDetailView.as_view(), name="study_detail"),
    path("search/", views.search, name="search"),
]
