"""The search backends a test runs on: tantivy always, PostgreSQL too in the suite's
PostgreSQL pass. A module opts in with `pytestmark = pytest.mark.usefixtures("backend")`."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings

ON_POSTGRES = django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


@pytest.fixture(params=["tantivy", "postgres"] if ON_POSTGRES else ["tantivy"])
def backend(request, settings) -> str:
    settings.SEARCH_BACKEND = request.param
    return request.param
