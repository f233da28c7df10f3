from django.apps import AppConfig


class FilesConfig(AppConfig):
    name = "readingroom.files"
    label = "files"
    verbose_name = "Files, pages and OCR"

    def ready(self) -> None:
        from readingroom.catalogue import scan_evidence
        from readingroom.files.models import markings_read

        # The catalogue's admin shows the markings OCR read (it imports no layer above it).
        scan_evidence.register(markings_read)
