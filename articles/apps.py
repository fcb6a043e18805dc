from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Content"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from . import signals  # noqa: F401  (cache invalidation receivers)
        from .public import register_sqlite_functions
        from .search_index import after_migrate

        # The accent-insensitive search of SQLite (articles.public.FoldAccents).
        connection_created.connect(register_sqlite_functions)
        # SQLite's full-text index survives the table rebuilds of later migrations.
        post_migrate.connect(after_migrate, sender=self)
