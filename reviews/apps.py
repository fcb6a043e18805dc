from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Clinical review"

    def ready(self) -> None:
        from . import translations  # noqa: F401  (the translators' notices, at go-live)
        from .workflow import overdue  # noqa: F401  (the read-time sweep's receiver)
