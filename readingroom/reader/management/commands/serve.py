from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand

from readingroom.conf import env


class Command(BaseCommand):
    help = "Serve the reading room on 127.0.0.1:$PORT (static files through WhiteNoise)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--port", default=env("PORT"), help="port (default: $PORT or 8000)")
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on")

    def handle(self, *args, port: str, host: str, **options) -> None:
        call_command("runserver", f"{host}:{port}", use_reloader=False)
