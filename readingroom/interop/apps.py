from django.apps import AppConfig


class InteropConfig(AppConfig):
    name = "readingroom.interop"
    label = "interop"
    verbose_name = "Interoperability"

    def ready(self) -> None:
        from readingroom.catalogue.outbox import connect_listener
        from readingroom.interop import harvest_records
        from readingroom.interop.sitemaps.tasks import wake

        # Every committed change to the catalogue has the sitemaps rewritten and the
        # harvested records of changed documents written again, in the background (at
        # most one run of each waits at a time).
        connect_listener(wake)
        connect_listener(harvest_records.wake)
        harvest_records.connect_name_changes(harvest_records.NAMED)
