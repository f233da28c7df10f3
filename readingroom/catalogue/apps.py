from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "readingroom.catalogue"
    label = "catalogue"
    verbose_name = "Catalogue"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from readingroom.catalogue import editing, publicity, signals  # noqa: F401  (receivers)
        from readingroom.catalogue.vocabularies import sync_vocabularies

        post_migrate.connect(sync_vocabularies, sender=self)
