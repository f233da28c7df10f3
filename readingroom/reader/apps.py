from django.apps import AppConfig


class ReaderConfig(AppConfig):
    name = "readingroom.reader"
    label = "reader"
    verbose_name = "Reading room"
