from __future__ import annotations

from django.core.management.base import BaseCommand

from readingroom.conf import SETTINGS, env


class Command(BaseCommand):
    help = "List every setting Reading Room reads from the environment."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--markdown", action="store_true", help="as a Markdown table")

    def handle(self, *args, markdown: bool, **options) -> None:
        if markdown:
            self.stdout.write("| setting | default | what it does |\n| --- | --- | --- |")
            for s in SETTINGS:
                default = f"`{s.default}`"
                if s.production is not None:
                    default += f" (production: `{s.production}`)"
                self.stdout.write(f"| `{s.name}` | {default} | {s.help} |")
            return
        for s in SETTINGS:
            self.stdout.write(f"{s.name}={env(s.name)}\n    {s.help}")
