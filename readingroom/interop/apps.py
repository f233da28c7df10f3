from django.apps import AppConfig


class InteropConfig(AppConfig):
    name = "readingroom.interop"
    label = "interop"
    verbose_name = "Interoperability"

    def ready(self) -> None:
        from readingroom.catalogue.outbox import connect_listener
        from readingroom.interop.sitemaps.tasks import wake

        # Every committed change to the catalogue has the sitemaps rewritten in the
        # background (at most one run waits at a time).
        connect_listener(wake)
