"""Every setting is declared once, documented, and the only way settings are read."""

from __future__ import annotations

import re
from pathlib import Path

from readingroom.conf import REPO_ROOT, SETTINGS

DOCS = REPO_ROOT / "docs" / "settings.md"
ENV_READ = re.compile(
    r"""(?:os\.environ(?:\.get)?\s*[\[(]\s*|os\.getenv\(\s*|env(?:_bool)?\(\s*)["']([A-Z_]+)["']"""
)


def test_every_setting_is_documented_with_its_default() -> None:
    docs = DOCS.read_text()
    missing = [s.name for s in SETTINGS if f"`{s.name}`" not in docs]
    assert not missing, f"undocumented settings in docs/settings.md: {missing}"
    for s in SETTINGS:
        row = next(line for line in docs.splitlines() if f"`{s.name}`" in line)
        if s.default:
            assert s.default in row, f"{s.name}: default {s.default!r} not in docs"
        if s.production is not None:
            assert f"(production: `{s.production}`)" in row, f"{s.name}: production default"


def test_docs_list_no_setting_that_does_not_exist() -> None:
    declared = {s.name for s in SETTINGS}
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", DOCS.read_text(), re.M))
    assert documented <= declared, f"documented but not declared: {documented - declared}"


def test_code_reads_only_declared_settings() -> None:
    declared = {s.name for s in SETTINGS} | {"DJANGO_SETTINGS_MODULE"}
    read: dict[str, Path] = {}
    for path in (REPO_ROOT / "readingroom").rglob("*.py"):
        if "tests" in path.parts:
            continue
        for name in ENV_READ.findall(path.read_text()):
            read[name] = path
    undeclared = {n: str(p) for n, p in read.items() if n not in declared}
    assert not undeclared, f"environment variables read but not declared in conf.py: {undeclared}"
    assert "READINGROOM_HOME" in read  # the scan itself works


def test_settings_are_described() -> None:
    for s in SETTINGS:
        assert len(s.help) > 20, f"{s.name} needs a real description"
