"""gunicorn run from inside `readingroom serve` (its documented custom-application
pattern), so the server is the project's own command: same settings, same checks."""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication


class ReadingRoomServer(BaseApplication):
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from django.core.wsgi import get_wsgi_application

        return get_wsgi_application()
