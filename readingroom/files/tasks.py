"""Background work on pages, run by the django-tasks database worker."""

from __future__ import annotations

from django_tasks import task

from readingroom.files.pages import claim, do_page_work, save_result, work_for


def process_pending_pages(limit: int | None = None) -> int:
    """Render and read pages one at a time until none is left; returns how many.

    One page per claim: the worker may be stopped at any moment and loses one page's
    work at most (the claim goes stale and the page is taken again later).
    """
    done = 0
    while limit is None or done < limit:
        pages = claim(1)
        if not pages:
            break
        save_result(do_page_work(work_for(pages[0])))
        done += 1
    return done


@task()
def process_pages() -> int:
    return process_pending_pages()
