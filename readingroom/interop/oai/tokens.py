"""Resumption tokens: where a list stopped, signed so that a harvester can neither forge
nor damage one unnoticed, and dated so that it expires.

A token holds the list's own arguments (prefix, set, from, until), the key of the last
record sent — its exact effective modification time (microseconds, not the datestamp's
seconds) and record ID — and the counts for `cursor` and `completeListSize`. The next
page starts after that key, so records that change during a harvest neither shift nor
hide the others: a changed record moves to the end of the list (its datestamp is now
later) and is sent there, an unchanged one is sent exactly once.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core import signing

from readingroom.interop.oai.arguments import OAIError

_SALT = "readingroom.oai.resumption"


@dataclass(frozen=True)
class Position:
    verb: str
    args: dict[str, str]  # the list's arguments: metadataPrefix, set, from, until
    after: tuple[str, int] | tuple[str, str] | None  # last key sent (records or sets)
    cursor: int  # how many were sent before the next page
    total: int  # completeListSize, counted at the first page


def lifetime() -> timedelta:
    return timedelta(hours=settings.OAI_TOKEN_HOURS)


def issue(position: Position) -> tuple[str, datetime]:
    """The token and its expiry."""
    data = json.dumps(asdict(position), separators=(",", ":"))
    token = signing.TimestampSigner(salt=_SALT).sign(signing.b64_encode(data.encode()).decode())
    return token, datetime.now(UTC) + lifetime()


def read(token: str, verb: str) -> Position:
    try:
        value = signing.TimestampSigner(salt=_SALT).unsign(token, max_age=lifetime())
        data = json.loads(signing.b64_decode(value.encode()))
        position = Position(**data)
    except signing.SignatureExpired:
        raise OAIError("badResumptionToken",
                       "This resumptionToken has expired: start the list again "
                       "(with from= to take only what changed).") from None  # fmt: skip
    except (signing.BadSignature, ValueError, TypeError):
        raise OAIError("badResumptionToken", "This resumptionToken is not one of ours.") from None
    if position.verb != verb:
        raise OAIError("badResumptionToken", f"This resumptionToken continues {position.verb}.")
    if position.after is not None:
        position = Position(position.verb, position.args, tuple(position.after),
                            position.cursor, position.total)  # fmt: skip
    return position
