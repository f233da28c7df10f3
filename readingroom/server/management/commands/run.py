"""`readingroom run`: the server and one task worker, each restarted if it dies."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand

from readingroom.conf import env
from readingroom.server.supervise import Child, Supervisor, readingroom_argv


class Command(BaseCommand):
    help = "Serve and run one task worker; restart either if it dies; Ctrl-C stops both."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--port", default=env("PORT"), help="port (default: $PORT or 8000)")

    def handle(self, *args, port: str, **options) -> None:
        def say(message: str) -> None:
            print(f"readingroom run: {message}", file=sys.stderr, flush=True)

        say(f"serving on http://127.0.0.1:{port}/ (Ctrl-C stops)")
        Supervisor([
            Child("server", readingroom_argv("serve", "--port", str(port))),
            Child("worker", readingroom_argv("worker", "--interval", "1")),
        ], say).run()  # fmt: skip
