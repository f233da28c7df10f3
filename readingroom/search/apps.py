from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "readingroom.search"
    label = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from readingroom.catalogue.outbox import IndexConnection, connect_index
        from readingroom.search.indexer import build_missing_index, indexed_in_the_database, sync

        post_migrate.connect(build_missing_index, sender=self)
        connect_index(IndexConnection(wake=_wake_worker, same_transaction=indexed_in_the_database,
                                      sync=sync))  # fmt: skip


def _wake_worker() -> None:
    from readingroom.search.tasks import process_outbox

    process_outbox.enqueue()
