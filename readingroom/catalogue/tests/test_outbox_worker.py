"""Document changes reach the outbox in their own transaction and are processed by
the django-tasks database worker in its own process, never in the request."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client
from django_tasks_db.models import DBTaskResult

from readingroom.catalogue import models as m
from readingroom.conftest import subprocess_env

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_change_and_its_outbox_row_commit_or_roll_back_together(make_document) -> None:
    before = m.OutboxEntry.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        make_document()
        raise RuntimeError("the edit fails")
    assert m.OutboxEntry.objects.count() == before
    document = make_document()
    assert m.OutboxEntry.objects.filter(document_pk=document.pk).exists()


def test_admin_edit_is_processed_by_the_worker_process(make_document) -> None:
    document = make_document()
    m.OutboxEntry.objects.all().delete()
    DBTaskResult.objects.all().delete()
    editor = get_user_model().objects.create_superuser("ed", "ed@example.org", "pw-ed-12345")
    client = Client()
    client.force_login(editor)
    response = client.post(
        "/admin/catalogue/document/",
        {"action": "make_draft", "_selected_action": [document.pk]},
    )
    assert response.status_code == 302

    # The request recorded the change and enqueued a task, but did not process it.
    entries = m.OutboxEntry.objects.filter(document_pk=document.pk)
    assert entries.exists()
    assert not entries.filter(processed_at__isnull=False).exists()
    assert DBTaskResult.objects.filter(status="READY").exists()

    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "readingroom",
            "worker",
            "--batch",
            "--no-startup-delay",
            "--interval",
            "0",
        ],
        env=subprocess_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr

    processed = list(entries.all())
    assert processed and all(e.processed_at for e in processed)
    pids = {e.processed_by.rsplit(":", 1)[1] for e in processed}
    assert pids and str(os.getpid()) not in pids  # another process did the work
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").exists()
