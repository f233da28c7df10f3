"""Template filters of the reader's pages."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def count(value: int | None) -> str:
    """12345 → "12,345" (counts read at a glance; no locale machinery needed)."""
    return f"{value:,}" if isinstance(value, int) else ""


@register.filter
def plural(value: int | None, words: str) -> str:
    """`n|plural:"document,documents"` → the word that goes with n."""
    one, _, many = words.partition(",")
    return one if value == 1 else many
