"""The background task that writes the sitemaps, woken after catalogue changes."""

from __future__ import annotations

from django_tasks import task

from readingroom.interop.sitemaps import writer


@task(priority=-5)  # below the search index's, above page images and OCR
def refresh_sitemaps() -> int:
    return len(writer.write().parts)


def enqueue_once(task_to_run) -> None:
    """Enqueue a run of the task unless one is waiting already: a burst of edits makes
    one run."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(task_path=task_to_run.module_path, status="READY")
    if not waiting.exists():
        task_to_run.enqueue()


def wake() -> None:
    enqueue_once(refresh_sitemaps)
