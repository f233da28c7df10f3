from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from readingroom.server import health


class Command(BaseCommand):
    help = "Report the database, the search index, the task worker and the outbox backlog."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--json", action="store_true", dest="as_json", help="as JSON")

    def handle(self, *args, as_json: bool = False, **options) -> None:
        report = health.report()
        if as_json:
            self.stdout.write(json.dumps(report, indent=2))
        else:
            for name, check in report["checks"].items():
                mark = "ok  " if check["ok"] else "FAIL"
                self.stdout.write(f"{mark} {name:<9} {check['detail']}")
        if not report["ok"]:
            raise CommandError("not everything is running", returncode=1)
