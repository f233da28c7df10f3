"""docs/deploy.md followed on this machine: scripts/deploy-check (nginx with TLS in front
of the production server and the worker, PostgreSQL, backup and restore, upgrade)."""

from __future__ import annotations

import subprocess

import pytest

from readingroom.conf import REPO_ROOT

pytestmark = pytest.mark.deploy


def test_the_deployment_guide_works_as_written() -> None:
    result = subprocess.run([str(REPO_ROOT / "scripts" / "deploy-check")], cwd=REPO_ROOT,
                            capture_output=True, text=True, check=False)  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "every step of docs/deploy.md done and checked" in result.stderr
