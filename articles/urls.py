from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/<slug:slug>/", views.article_detail, name="article"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic"),
    path("trials/<str:nct_id>/", views.trial_detail, name="trial"),
]
