from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Content"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from . import signals  # noqa: F401  (cache invalidation receivers)
        from .public import register_sqlite_functions

        # The accent-insensitive search of SQLite (articles.public.FoldAccents).
        connection_created.connect(register_sqlite_functions)
