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
    # The default under READINGROOM_PROFILE=production, where it differs: the profile
    # turns on what a site on the open internet needs, each still overridable.
    production: str | None = None


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
        "READINGROOM_PROFILE",
        "development",
        "`development` or `production`. The production profile changes the defaults of the "
        "settings below that name a production value (HTTPS redirect, HSTS, secure "
        "cookies); `readingroom manage check --deploy` is clean in it.",
    ),
    Setting(
        "READINGROOM_ALLOWED_HOSTS",
        "127.0.0.1,localhost,testserver",
        "Comma-separated host names this site answers to (the public name behind a proxy).",
    ),
    Setting(
        "READINGROOM_TRUSTED_PROXIES",
        "",
        "Comma-separated addresses or networks (e.g. 127.0.0.1 or 10.0.0.0/8) of reverse "
        "proxies in front of the server. Only from these are X-Forwarded-For (the client's "
        "address, for rate limits and login lockout) and X-Forwarded-Proto believed; from "
        "anyone else these headers are dropped.",
    ),
    Setting(
        "READINGROOM_SSL_REDIRECT",
        "false",
        "Redirect every plain-HTTP request to HTTPS (except /healthz).",
        production="true",
    ),
    Setting(
        "READINGROOM_HSTS_SECONDS",
        "0",
        "Strict-Transport-Security max-age sent over HTTPS: browsers then refuse plain HTTP "
        "for this long. 0 sends no header.",
        production="31536000",
    ),
    Setting(
        "READINGROOM_HSTS_PRELOAD",
        "false",
        "Add includeSubDomains and preload to Strict-Transport-Security (every subdomain "
        "must serve HTTPS too).",
        production="true",
    ),
    Setting(
        "READINGROOM_SECURE_COOKIES",
        "false",
        "Session and CSRF cookies only over HTTPS (the editors' login).",
        production="true",
    ),
    Setting(
        "READINGROOM_LOGIN_FAILURE_LIMIT",
        "5",
        "Failed logins from one client address before it is locked out (django-axes); each "
        "failure is recorded (admin: Axes → Access failures).",
    ),
    Setting(
        "READINGROOM_LOGIN_LOCKOUT_MINUTES",
        "15",
        "How long a locked-out client address must wait before it may try to log in again.",
    ),
    Setting(
        "READINGROOM_RATE_LIMIT_SEARCH",
        "120/60",
        "Searches (page or JSON) one client may make: REQUESTS/SECONDS. Empty or `off` lifts "
        "the limit. Past it: 429 with Retry-After.",
    ),
    Setting(
        "READINGROOM_RATE_LIMIT_JSON",
        "600/60",
        "JSON twins one client may fetch: REQUESTS/SECONDS (empty or `off`: no limit).",
    ),
    Setting(
        "READINGROOM_RATE_LIMIT_FILES",
        "1200/60",
        "Stored files and page images one client may fetch: REQUESTS/SECONDS (empty or "
        "`off`: no limit).",
    ),
    Setting(
        "READINGROOM_RATE_LIMIT_EXEMPT",
        "",
        "Comma-separated client addresses or networks never rate-limited (a harvester you "
        "know, a monitoring host). Logged-in editors are never limited.",
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
        "READINGROOM_PAGE_CACHE_SECONDS",
        "60",
        "How long the production server (readingroom serve) keeps a public page or JSON "
        "answer (in files its processes share, cache/pages in the data directory) to send "
        "again to readers who are not signed in; never past a withdrawal, a return to "
        "draft, a new embargo or a hidden page text (web/page_cache.py). 0 turns it off. "
        "The development server never keeps them.",
    ),
    Setting(
        "READINGROOM_PAGE_CACHE_DOCUMENT_SECONDS",
        "600",
        "How long the production server keeps a document's page and JSON twin. They are "
        "never sent past a change of the record itself or of a name it shows (a person, "
        "place, volume, term...), which show at once; what other records or the worker add "
        "to the page (a neighbour's title, a related record's title, page text just read "
        "by OCR) shows within this time.",
    ),
    # Harvesting (OAI-PMH, sitemaps, feeds).
    Setting(
        "READINGROOM_ADMIN_EMAIL",
        "",
        "Address of the archive's administrator, given to harvesters (OAI-PMH Identify). "
        "Empty: archive@ the repository's domain (the host of READINGROOM_BASE_URL).",
    ),
    Setting(
        "READINGROOM_OAI_PAGE_SIZE",
        "200",
        "Records (or headers, or sets) per OAI-PMH list response; a resumption token "
        "asks for the next.",
    ),
    Setting(
        "READINGROOM_OAI_TOKEN_HOURS",
        "24",
        "How long an OAI-PMH resumption token stays valid (its expirationDate); after it, "
        "badResumptionToken and the harvest starts again (incrementally, with `from`).",
    ),
    Setting(
        "READINGROOM_SITEMAP_URLS",
        "10000",
        "URLs per sitemap file (the protocol allows 50,000; smaller files stay well under "
        "the bytes one answer may take). The sitemap index lists the files.",
    ),
    Setting(
        "READINGROOM_FEED_ENTRIES",
        "50",
        "Entries per Atom feed (the newest changes first).",
    ),
    Setting(
        "READINGROOM_TEST_POSTGRES",
        "",
        "Set by `make test` for its second pass: the test helper starts a throw-away "
        "PostgreSQL cluster on loopback and points DATABASE_URL at it.",
    ),
    Setting("PORT", "8000", "Port `make demo` and `readingroom serve` listen on (127.0.0.1)."),
    Setting(
        "READINGROOM_SERVER_PROCESSES",
        "2",
        "Server processes `readingroom serve` starts (gunicorn workers); one per core.",
    ),
    Setting(
        "READINGROOM_BACKGROUND_NICE",
        "10",
        "CPU priority background work gives up (a nice(1) level, 0-19; 0 keeps the normal "
        "priority): the task worker and the commands that do its work at once "
        "(process-outbox, ocr, reindex) run below the server, so readers are served first "
        "on a shared machine. On idle cores they run at full speed. Imports keep their "
        "priority: they hold the database's write lock for a whole volume.",
    ),
    Setting(
        "READINGROOM_SERVER_THREADS",
        "4",
        "Threads per server process: requests waiting on the database, the index or a file "
        "overlap within one process; more than 4 only wait longer for Python's lock "
        "(README, Serving).",
    ),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def env(name: str) -> str:
    """The value of a declared setting: the environment's, else the profile's default."""
    setting = _BY_NAME[name]  # KeyError on an undeclared name, on purpose
    if name in os.environ:
        return os.environ[name]
    if setting.production is not None and production():
        return setting.production
    return setting.default


def production() -> bool:
    return env("READINGROOM_PROFILE").strip().lower() == "production"


def env_bool(name: str) -> bool:
    return env(name).strip().lower() in {"1", "true", "yes", "on"}


def yield_to_readers() -> None:
    """Lower this process's CPU priority to READINGROOM_BACKGROUND_NICE (never raise it:
    a process started lower, by systemd's Nice= say, stays there). Its children (OCR,
    page rendering, an import's parser) inherit it."""
    wanted = min(19, max(0, int(env("READINGROOM_BACKGROUND_NICE"))))
    if os.getpriority(os.PRIO_PROCESS, 0) < wanted:
        os.setpriority(os.PRIO_PROCESS, 0, wanted)


def corpus() -> Path:
    return (REPO_ROOT / Path(env("READINGROOM_CORPUS")).expanduser()).resolve()


def home() -> Path:
    """The data directory, created private; everything this process creates from now on
    is private too (umask 077: files 0600, folders 0700), the SQLite database, its WAL,
    the index and the stored files included: drafts and embargoed records live there."""
    os.umask(0o077)
    path = Path(env("READINGROOM_HOME")).expanduser().resolve()
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path
