"""`readingroom serve`: the production WSGI server (gunicorn), static files collected
first. Why gunicorn with threads: README ("Serving") and docs/benchmarks.md."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.management.base import BaseCommand

from readingroom.conf import env


class Command(BaseCommand):
    help = "Serve the reading room with gunicorn on 127.0.0.1:$PORT."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--port", default=env("PORT"), help="port (default: $PORT or 8000)")
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
        parser.add_argument("--processes", type=int,
                            default=int(env("READINGROOM_SERVER_PROCESSES")))  # fmt: skip
        parser.add_argument("--threads", type=int, default=int(env("READINGROOM_SERVER_THREADS")))

    def handle(self, *args, port: str, host: str, processes: int, threads: int, **options):
        # The hashed, compressed static files this code's templates name: checked at
        # each start, so an upgrade can never serve pages that point at missing files.
        from readingroom.server.gunicorn import ReadingRoomServer
        from readingroom.server.static import collect_if_changed

        collect_if_changed()
        # Public answers kept for READINGROOM_PAGE_CACHE_SECONDS, in files the processes
        # share: this server's, never the development server's (web/page_cache.py).
        # None kept from an earlier run: they are keyed on the catalogue's count of
        # publicity changes, and a database restored from a backup counts again.
        settings.PAGE_CACHE_SERVING = True
        caches["pages"].clear()
        # Made now, not at the first answer kept: a backup copying the data directory
        # meanwhile sees no folder appear (docs/deploy.md).
        Path(settings.CACHES["pages"]["LOCATION"]).mkdir(parents=True, exist_ok=True)

        ReadingRoomServer({
            "bind": f"{host}:{port}",
            "workers": processes,
            "threads": threads,
            "worker_class": "gthread" if threads > 1 else "sync",
            # Django is imported once, before the workers fork: they start at once and
            # share its memory. No connection is open yet (collectstatic opens none).
            "preload_app": True,
            # Each process listens on its own socket (SO_REUSEPORT) and the kernel spreads
            # new connections over them. On one shared socket, the process that woke
            # first took every keep-alive connection of a burst: under bench/load.py
            # one process served all 16 connections while the other sat idle.
            "reuse_port": True,
            # X-Forwarded-Proto believed from the same proxies Django trusts, no others.
            "forwarded_allow_ips": ",".join(settings.TRUSTED_PROXIES),
            "timeout": 60,
            "graceful_timeout": 20,
            "errorlog": "-",
            # gunicorn 27's control socket sits at one path per user: two servers on one
            # machine (the benchmark, several sites) would fight over it.
            "control_socket_disable": True,
        }).run()
