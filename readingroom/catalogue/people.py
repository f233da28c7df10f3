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


def near_matches() -> list[tuple[m.Agent, m.Agent]]:
    """People with the same family name and other given names, for editors to review;
    never merged automatically ("Kennedy, John F." and "Kennedy, Robert F.")."""
    by_family: dict[str, list[m.Agent]] = {}
    for agent in m.Agent.objects.filter(kind="person").only("name", "sort_name"):
        family = (agent.sort_name or agent.name).split(",")[0].strip().casefold()
        by_family.setdefault(family, []).append(agent)
    pairs = []
    for group in by_family.values():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                pairs.append((a, b))
    return pairs
