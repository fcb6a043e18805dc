"""The reader pages, in every language: mounted by ``mbc_cms.urls`` through ``i18n_patterns``,
so English pages are unprefixed and Spanish ones under ``/es/`` (``mbc_cms.languages``)."""

from django.urls import path

from . import edge, views
from .caching import cached_page
from .feeds import LatestArticlesFeed

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/<slug:slug>/", views.article_detail, name="article"),
    path("articles/<slug:slug>/feedback/", views.article_feedback, name="feedback"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic"),
    path("trials/", views.trial_list, name="trials"),
    path("trials/<str:nct_id>/", views.trial_detail, name="trial"),
    path("search/", views.search, name="search"),
    path("feed/", cached_page(edge.listing(LatestArticlesFeed())), name="feed"),
    path("about/editorial-policy/", views.editorial_policy, name="editorial_policy"),
]
