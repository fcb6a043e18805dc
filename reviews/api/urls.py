"""Routes of the API, version 1 (mounted at /api/v1/)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import feedback
from .views import EditorialArticleViewSet, TokenView

app_name = "api"

router = SimpleRouter()
router.register("editorial/articles", EditorialArticleViewSet, basename="editorial-article")
router.register("editorial/feedback", feedback.FeedbackViewSet, basename="editorial-feedback")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="token"),
    *router.urls,
]
