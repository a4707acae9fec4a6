from django.urls import path

from . import citations, embed, feeds, views

app_name = "articles"

urlpatterns = [
    path("articles/", views.ArticleListView.as_view(), name="article_list"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="article_detail"),
    path("articles/<slug:slug>/infographic.svg", embed.infographic_svg, name="infographic"),
    path("embed/<slug:slug>/", embed.embed, name="embed"),
    path("studies/", views.StudyListView.as_view(), name="study_list"),
    path("studies/<slug:slug>/", views.StudyDetailView.as_view(), name="study_detail"),
    path("studies/<slug:slug>/cite.ris", citations.cite_ris, name="study_cite_ris"),
    path("studies/<slug:slug>/cite.bib", citations.cite_bibtex, name="study_cite_bibtex"),
    path("feeds/articles/", feeds.ArticleFeed(), name="article_feed"),
    path("feeds/articles/atom/", feeds.ArticleAtomFeed(), name="article_atom_feed"),
    path("feeds/studies/", feeds.StudyFeed(), name="study_feed"),
    path("feeds/studies/atom/", feeds.StudyAtomFeed(), name="study_atom_feed"),
]
