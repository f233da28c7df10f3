"""Every setting Reading Room reads from the environment, declared once as data.

`settings.py` reads values only through `env()`, `docs/settings.md` documents each
entry, and a test fails when the two disagree or when code reads an undeclared
variable. Adding a setting is one entry here and one line in the docs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "READINGROOM_HOME",
        "./var",
        "Data directory holding everything a site owns: the SQLite database, stored "
        "files and the search index. Relative paths are taken from the current directory.",
    ),
    Setting(
        "DATABASE_URL",
        "",
        "Database to use, e.g. postgres://user:pass@host:5432/name. Empty selects the "
        "embedded SQLite database (WAL mode) at $READINGROOM_HOME/readingroom.sqlite3.",
    ),
    Setting(
        "READINGROOM_CORPUS",
        "../shared/corpus",
        "Folder of the sample corpus imported by `make demo` and read by the tests. "
        "A relative path is taken from the repository's root.",
    ),
    Setting(
        "READINGROOM_SECRET_KEY",
        "",
        "Django secret key. Empty generates one and keeps it in $READINGROOM_HOME/secret_key.",
    ),
    Setting(
        "READINGROOM_DEBUG", "false", "Django debug mode (true/false). Never on in production."
    ),
    Setting(
        "READINGROOM_ALLOWED_HOSTS",
        "127.0.0.1,localhost,testserver",
        "Comma-separated host names this site answers to.",
    ),
    Setting(
        "READINGROOM_SITE_NAME",
        "Reading Room",
        "Name of the archive, shown in page titles and used as publisher in citations.",
    ),
    Setting(
        "READINGROOM_BASE_URL",
        "",
        "The site's public address, e.g. https://archive.example.org (no trailing slash): "
        "absolute URLs made outside a request (exports, harvesting) and the URL a citation "
        "carries. Empty: citations carry no URL, exports use the address a request came to.",
    ),
    Setting(
        "READINGROOM_SEARCH_BACKEND",
        "tantivy",
        "Search backend: `tantivy` (embedded index in $READINGROOM_HOME/index), `postgres` "
        "(PostgreSQL full-text search; needs a PostgreSQL DATABASE_URL) or `noop` (no "
        "index). Changed documents reach it through the outbox and the task worker.",
    ),
    Setting(
        "READINGROOM_PAGE_SIZE",
        "50",
        "Documents per page of the document list, of search results and of an entity's "
        "documents (a person's, an organization's, a place's, a subject's, an archive's), "
        "in HTML and in paged JSON.",
    ),
    # Limits: every request is bounded. Past a limit the answer is a clear 400 (HTML
    # and JSON alike) or a capped result that says so, never a 500.
    Setting(
        "READINGROOM_MAX_PAGE_SIZE",
        "100",
        "Largest page a client may ask for with `size=` (documents per page of the "
        "document list and search; rows per page of the other lists). Larger: 400.",
    ),
    Setting(
        "READINGROOM_MAX_RESULT_WINDOW",
        "10000",
        "Deepest result served: page × page size may not go past it (search and every "
        "paged list). Deeper pages answer 400 and say to narrow the query.",
    ),
    Setting(
        "READINGROOM_MAX_QUERY_LENGTH",
        "500",
        "Longest search query, in characters (`q=`). Longer: 400.",
    ),
    Setting(
        "READINGROOM_MAX_FILTERS",
        "20",
        "Most facet filters (`type=…&year=…`) one search may combine. More: 400.",
    ),
    Setting(
        "READINGROOM_FACET_VALUES",
        "100",
        "Values per facet the search service returns, e.g. to `readingroom search --json` "
        "(the most frequent first; counts stay exact and each facet says how many values "
        "it has in all). Results pages show each facet's first few and link to its own "
        "page, which lists every value, paged.",
    ),
    Setting(
        "READINGROOM_LIST_PAGE_SIZE",
        "100",
        "Rows per page of the other lists: a collection's table of contents, the index "
        "pages of people, organizations, places, subjects and archives, a facet's values, "
        "the admin's change lists and its near-match list.",
    ),
    Setting(
        "READINGROOM_CACHE_SECONDS",
        "60",
        "How long shared caches may keep a public page or JSON answer (Cache-Control "
        "max-age). Kept short because a record can be withdrawn at any time; files and "
        "page images are revalidated on every use, staff answers are never shared.",
    ),
    Setting(
        "READINGROOM_TEST_POSTGRES",
        "",
        "Set by `make test` for its second pass: the test helper starts a throw-away "
        "PostgreSQL cluster on loopback and points DATABASE_URL at it.",
    ),
    Setting("PORT", "8000", "Port `make demo` and `readingroom serve` listen on (127.0.0.1)."),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def env(name: str) -> str:
    """The value of a declared setting: the environment's, else its default."""
    setting = _BY_NAME[name]  # KeyError on an undeclared name, on purpose
    return os.environ.get(name, setting.default)


def env_bool(name: str) -> bool:
    return env(name).strip().lower() in {"1", "true", "yes", "on"}


def corpus() -> Path:
    return (REPO_ROOT / Path(env("READINGROOM_CORPUS")).expanduser()).resolve()


def home() -> Path:
    path = Path(env("READINGROOM_HOME")).expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path
