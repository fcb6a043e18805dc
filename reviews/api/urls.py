"""Routes of the API, version 1 (mounted at /api/v1/)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import content, feedback, images, people
from .views import EditorialArticleViewSet, TokenView

app_name = "api"

router = SimpleRouter()
router.register("editorial/articles", EditorialArticleViewSet, basename="editorial-article")
router.register("editorial/feedback", feedback.FeedbackViewSet, basename="editorial-feedback")
router.register("editorial/topics", content.EditorialTopicViewSet, basename="editorial-topic")
router.register("editorial/trials", content.EditorialTrialViewSet, basename="editorial-trial")
router.register("editorial/images", images.EditorialImageViewSet, basename="editorial-image")
router.register("editorial/people", people.PeopleViewSet, basename="editorial-person")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="token"),
    *router.urls,
]
