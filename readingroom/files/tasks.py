"""Background work on pages, run by the django-tasks database worker."""

from __future__ import annotations

from django_tasks import task

from readingroom.files.pages import claim, do_page_work, pages_to_do, save_result, works_for

# Pages per task run: OCR takes seconds a page, and the one worker also keeps the
# search index current; a short run re-enqueued behind it lets both progress.
PAGES_PER_RUN = 4


def process_pending_pages(limit: int | None = None) -> int:
    """Render and read pages one at a time until none is left (or `limit`); returns how
    many. One page per claim: the worker may be stopped at any moment and loses one
    page's work at most (the claim goes stale and the page is taken again later)."""
    done = 0
    while limit is None or done < limit:
        pages = claim(1)
        if not pages:
            break
        save_result(do_page_work(works_for(pages)[0]))
        done += 1
    return done


# Below the outbox's priority: a reader sees new records in search before their OCR.
@task(priority=-10)
def process_pages() -> int:
    done = process_pending_pages(PAGES_PER_RUN)
    if done == PAGES_PER_RUN and pages_to_do():
        process_pages.enqueue()
    return done
