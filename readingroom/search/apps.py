from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "readingroom.search"
    label = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from readingroom.search.indexer import build_missing_index

        post_migrate.connect(build_missing_index, sender=self)
