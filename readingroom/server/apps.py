from django.apps import AppConfig


class ServerConfig(AppConfig):
    name = "readingroom.server"
    label = "server"
    verbose_name = "Server"
