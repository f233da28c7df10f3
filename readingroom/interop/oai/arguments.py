"""The arguments of an OAI-PMH request, checked as the protocol says (section 3.6 and
each verb's list in section 4): what a verb requires, allows and forbids, repeated
arguments, the exclusive resumptionToken, and UTC datestamps at day or second
granularity."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.http import QueryDict


class OAIError(Exception):
    """One of the protocol's error conditions: answered in XML with its code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


LIST_OPTIONS = frozenset({"from", "until", "set", "resumptionToken"})
# verb -> (required, optional); `resumptionToken` is exclusive where it is allowed.
VERBS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "Identify": (frozenset(), frozenset()),
    "ListMetadataFormats": (frozenset(), frozenset({"identifier"})),
    "ListSets": (frozenset(), frozenset({"resumptionToken"})),
    "GetRecord": (frozenset({"identifier", "metadataPrefix"}), frozenset()),
    "ListIdentifiers": (frozenset({"metadataPrefix"}), LIST_OPTIONS),
    "ListRecords": (frozenset({"metadataPrefix"}), LIST_OPTIONS),
}

# Patterns of the response schema's types: an argument is echoed in <request> only
# when it fits its type, so that even an error answer validates.
ECHO_PATTERNS = {
    "verb": re.compile("|".join(VERBS)),
    "identifier": re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:\S+"),  # anyURI, absolute
    "metadataPrefix": re.compile(r"[A-Za-z0-9\-_.!~*'()]+"),
    "from": re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}Z)?"),
    "until": re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}Z)?"),
    "set": re.compile(r"[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*"),
    "resumptionToken": re.compile(r"[^\x00-\x08\x0b\x0c\x0e-\x1f]{1,2000}"),
}
MAX_ARGUMENT = 2000  # characters: longer than any identifier, set or token of ours


@dataclass(frozen=True)
class Request:
    verb: str
    args: dict[str, str]  # every argument but the verb

    def echo(self) -> dict[str, str]:
        """The attributes of <request>: the arguments whose values fit their types."""
        out = {"verb": self.verb}
        for name, value in self.args.items():
            if (pattern := ECHO_PATTERNS.get(name)) and pattern.fullmatch(value):
                out[name] = value
        return out


def read(params: QueryDict) -> Request:
    """The request, or OAIError(badVerb | badArgument)."""
    verbs = params.getlist("verb")
    if len(verbs) != 1 or verbs[0] not in VERBS:
        what = "no verb" if not verbs else "the verb more than once" if len(verbs) > 1 else (
            f"an unknown verb ({verbs[0][:40]!r})")  # fmt: skip
        raise OAIError("badVerb", f"The request gives {what}; one of: {', '.join(VERBS)}.")
    verb = verbs[0]
    required, optional = VERBS[verb]
    args: dict[str, str] = {}
    for name, values in params.lists():
        if name == "verb":
            continue
        if name not in required | optional:
            raise OAIError("badArgument", f"{verb} takes no argument {name[:40]!r}.")
        if len(values) > 1:
            raise OAIError("badArgument", f"The argument {name!r} is given more than once.")
        if len(values[0]) > MAX_ARGUMENT or "\x00" in values[0]:
            raise OAIError("badArgument", f"The argument {name!r} cannot be read.")
        args[name] = values[0]
    if "resumptionToken" in args:
        if len(args) > 1:
            raise OAIError("badArgument", "resumptionToken is exclusive: give the verb only.")
    elif missing := sorted(required - set(args)):
        raise OAIError("badArgument", f"{verb} requires {', '.join(missing)}.")
    return Request(verb, args)


# ---- datestamps ------------------------------------------------------------------

DAY = "YYYY-MM-DD"
SECONDS = "YYYY-MM-DDThh:mm:ssZ"


def parse_datestamp(value: str, name: str) -> tuple[datetime, str]:
    """A `from`/`until` value as a UTC datetime and its granularity."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC), DAY
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", value):
            return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC), SECONDS
    except ValueError:
        pass
    raise OAIError("badArgument",
                   f"{name}={value[:40]!r} is not a UTC datestamp ({DAY} or {SECONDS}).")


def date_range(args: dict[str, str]) -> tuple[datetime | None, datetime | None]:
    """[from, until) as datetimes: `until` names the last second (or day) included, so
    the bound is the one after it. Both at one granularity, from not after until."""
    start = end = None
    granularities = set()
    if "from" in args:
        start, g = parse_datestamp(args["from"], "from")
        granularities.add(g)
    if "until" in args:
        until, g = parse_datestamp(args["until"], "until")
        granularities.add(g)
        end = until + (timedelta(days=1) if g == DAY else timedelta(seconds=1))
    if len(granularities) > 1:
        raise OAIError("badArgument", "from and until must have the same granularity.")
    if start is not None and end is not None and start >= end:
        raise OAIError("badArgument", "from is later than until.")
    return start, end


def datestamp(moment: datetime) -> str:
    """A datestamp at the repository's granularity (seconds, UTC)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
