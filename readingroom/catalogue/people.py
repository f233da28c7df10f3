"""People across sources: one record per person, matched by normalized full name;
near matches are listed for editors and never merged silently."""

from __future__ import annotations

import re

from readingroom.catalogue import models as m


def normalized_name(name: str) -> str:
    """ "Khrushchev, Nikita S." and "Nikita S. Khrushchev" → "khrushchev nikita s"."""
    return " ".join(sorted(re.sub(r"[^\w]+", " ", name.casefold()).split()))


def display_name(listed: str) -> str:
    """ "Khrushchev, Nikita S." → "Nikita S. Khrushchev"; other forms stay as listed."""
    family, sep, given = listed.partition(", ")
    if not sep or "," in given.replace(", Jr.", "").replace(", Sr.", ""):
        return listed
    suffix = ""
    for tail in (", Jr.", ", Sr."):
        if given.endswith(tail):
            given, suffix = given[: -len(tail)], tail
    return f"{given} {family}{suffix}"


def _families() -> list[list[m.Agent]]:
    """People grouped by family name, largest groups' order kept stable (by name)."""
    by_family: dict[str, list[m.Agent]] = {}
    people = m.Agent.objects.filter(kind="person").only("name", "sort_name").order_by("pk")
    for agent in people:
        family = (agent.sort_name or agent.name).split(",")[0].strip().casefold()
        by_family.setdefault(family, []).append(agent)
    return [group for _, group in sorted(by_family.items()) if len(group) > 1]


def near_matches(offset: int = 0, limit: int | None = None
                 ) -> tuple[int, list[tuple[m.Agent, m.Agent]]]:  # fmt: skip
    """People with the same family name and other given names, for editors to review;
    never merged automatically ("Kennedy, John F." and "Kennedy, Robert F.").

    Returns the number of pairs in all and the pairs from `offset` (at most `limit`):
    a family of n people has n(n-1)/2 pairs, so the pairs are counted, not listed,
    and only the page asked for is built."""
    families = _families()
    total = sum(len(g) * (len(g) - 1) // 2 for g in families)
    pairs: list[tuple[m.Agent, m.Agent]] = []
    skip = offset
    for group in families:
        count = len(group) * (len(group) - 1) // 2
        if skip >= count:
            skip -= count
            continue
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if skip:
                    skip -= 1
                    continue
                if limit is not None and len(pairs) >= limit:
                    return total, pairs
                pairs.append((a, b))
    return total, pairs
