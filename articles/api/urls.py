"""Routes of the public API, version 1 (mounted at /api/v1/)."""

from rest_framework.routers import SimpleRouter

from .views import ArticleViewSet, TopicViewSet, TrialViewSet

app_name = "public-api"

router = SimpleRouter()
router.register("articles", ArticleViewSet, basename="article")
router.register("topics", TopicViewSet, basename="topic")
router.register("trials", TrialViewSet, basename="trial")

urlpatterns = router.urls
