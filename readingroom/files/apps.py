from django.apps import AppConfig


class FilesConfig(AppConfig):
    name = "readingroom.files"
    label = "files"
    verbose_name = "Files, pages and OCR"
