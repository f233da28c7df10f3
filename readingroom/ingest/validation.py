"""Field validation for imports, shared by every importer: each value against the
model field it is written to, an error naming the file, the record and the field.

- `FieldValidator`: a document's own fields, as `clean_fields` checks them (without its
  cost where a plain check says the same, and without validating a repeated value
  again), and the length of text fields too (Django checks `max_length` of a
  `TextField` in forms only, and SQLite stores any length).
- `check_names`: what a record names and becomes a row of its own (agents, places,
  subjects, funders, repositories), before any is written.
- `check_values` and `check_rows`: any other row, one or a batch (collections, volume
  entities, a document's parts).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from operator import itemgetter
from typing import Any

from django.core import validators
from django.core.exceptions import ValidationError
from django.db import models

from readingroom.catalogue import models as m
from readingroom.ingest.records import DocumentRecord, ParseError


class FieldValidator:
    """`clean_fields` for many instances, skipping values already found valid.

    A release list repeats the same values (a precision, a rights statement, a type as
    written) in thousands of records; validating each again (URL and choice validators)
    cost more than writing it. Validity of a value depends on the field alone (foreign
    keys, checked against the database, are always validated), so a value (with its
    type) seen valid is excluded from the next checks. Each field remembers at most
    LIMIT values: beyond that it is a title or an identifier, different in every
    record, and is simply validated.
    """

    LIMIT = 256

    def __init__(self, model: type[models.Model], exclude: Iterable[str] = ()) -> None:
        self.exclude = list(exclude)
        checked = [f for f in model._meta.fields if f.name not in self.exclude
                   and not (f.primary_key or f.is_relation or f.generated)]  # fmt: skip
        self.valid = [(f.name, f.attname, set(), _plain_check(f)) for f in checked]
        # Text fields: clean_fields checks neither their limit nor a NUL character
        # (which PostgreSQL refuses), as it does for a CharField.
        self.text_fields = [(f.name, f.attname, f.max_length) for f in checked
                            if isinstance(f, models.TextField)]  # fmt: skip

    def __call__(self, obj: models.Model) -> None:
        values = obj.__dict__
        known, checked = [], []
        for name, attname, valid, plain in self.valid:
            value = values.get(attname, _MISSING)  # missing: deferred, clean_fields loads it
            if plain is not None and plain(value):
                known.append(name)
                continue
            key = (type(value), value)  # with the type: 1, 1.0 and True are equal in a set
            try:
                if key in valid:
                    known.append(name)
                elif value is not _MISSING and len(valid) < self.LIMIT:
                    checked.append((attname, valid, key, value))
            except TypeError:  # unhashable: always validated
                pass
        if len(known) < len(self.valid):
            errors = self._text_errors(values, known)
            try:
                obj.clean_fields(exclude=[*self.exclude, *known])
            except ValidationError as exc:
                errors = {**exc.message_dict, **errors}
            if errors:
                raise ValidationError(errors)  # naming every field at fault
        for attname, valid, key, value in checked:
            if values.get(attname) is value:  # a value cleaning converts is checked each time
                valid.add(key)

    def _text_errors(self, values: dict[str, Any], known: list[str]) -> dict[str, list[str]]:
        """What clean_fields leaves unchecked in text fields whose plain check failed."""
        errors = {}
        for name, attname, limit in self.text_fields:
            value = values.get(attname)
            if name in known or type(value) is not str:
                continue
            if limit and len(value) > limit:
                errors[name] = [too_long(limit, value)]
            elif "\x00" in value:
                errors[name] = [validators.ProhibitNullCharactersValidator.message]
        return errors


_MISSING = object()


# Validators a plain check below stands for (a CharField has the first).
_PLAIN_VALIDATORS = (validators.MaxLengthValidator, validators.ProhibitNullCharactersValidator)


def _plain_check(field: models.Field) -> Callable[[Any], bool] | None:
    """For the commonest fields (text and dates with no choices and no validators but
    the length and patterns), a check that is true only of values `clean_fields` accepts and leaves
    as they are; anything it is not true of goes to `clean_fields`, which accepts or
    names the error. None for every other field."""
    regexes = [v for v in field.validators if type(v) is validators.RegexValidator]
    others = [v for v in field.validators if v not in regexes]
    if field.choices or not all(isinstance(v, _PLAIN_VALIDATORS) for v in others):
        return None
    blank, limit = field.blank, field.max_length
    patterns = [(v.regex.search, v.inverse_match) for v in regexes]
    if type(field) in (models.CharField, models.TextField):
        def text(value: Any) -> bool:
            if type(value) is not str:
                return value is None and blank  # clean_fields skips an empty blank value
            if not value:
                return blank
            return (
                (limit is None or len(value) <= limit)
                and "\x00" not in value
                and all((search(value) is None) is inverse for search, inverse in patterns)
            )

        return text
    if type(field) is models.DateField:
        return lambda value: type(value) is datetime.date or (value is None and blank)
    return None


def too_long(limit: int, value: str) -> str:
    """Django's own message for a value over a field's limit."""
    try:
        validators.MaxLengthValidator(limit)(value)
    except ValidationError as exc:
        return exc.messages[0]
    return ""


def record_error(record: DocumentRecord, exc: ValidationError) -> ParseError:
    """A document's failed validation as an error naming file, record and each field:
    "file: record: title: Ensure this value has at most 1000 characters (it has 32767).",
    further fields after a semicolon."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"value": exc.messages}
    (field, messages), *others = errors.items()
    message = " ".join([" ".join(messages), *(f"; {f}: {' '.join(ms)}" for f, ms in others)])
    return ParseError(record.source.file, field, message.replace(" ;", ";"), record.identifier)


@cache
def _limits(model: type[models.Model]) -> dict[str, int]:
    """attname → max_length of the model's text columns that have one."""
    return {
        f.attname: f.max_length
        for f in model._meta.concrete_fields
        if isinstance(f, (models.CharField, models.TextField)) and f.max_length
    }


def check_values(model: type[models.Model], values: Mapping[str, Any], *, file: str,
                 record: str, what: str = "") -> None:  # fmt: skip
    """One row's text values against the model's limits; `what` names the row in the
    message ("agent", "collection") when the record is not the row itself."""
    limits = _limits(model)
    for attname, value in values.items():
        limit = limits.get(attname)
        if limit and type(value) is str and len(value) > limit:
            field = f"{what or model._meta.verbose_name} {attname}"
            raise ParseError(file, field, f"{too_long(limit, value)} {value[:60]!r}…", record)


# What a record names that becomes a row of its own, and where that row keeps it.
Names = Callable[[DocumentRecord], Iterable[str]]
NAMED: tuple[tuple[str, Names, type[models.Model], str], ...] = (
    ("agent", lambda r: [a.name for a in r.agents], m.Agent, "name"),
    ("translator", lambda r: [t.translator for t in r.texts if t.translator], m.Agent, "name"),
    ("place", lambda r: [p.name for p in r.places], m.Place, "name"),
    ("subject", lambda r: r.subjects, m.Subject, "term"),
    ("funder", lambda r: r.funders, m.Funder, "name"),
    ("repository", lambda r: [x.repository for x in r.archival_references], m.Repository,
     "name"),
)  # fmt: skip


def check_names(record: DocumentRecord) -> None:
    """The names a record gives agents, places, subjects, funders and repositories
    against their rows' limits: those rows are written before the record's parts."""
    for what, names, model, attname in NAMED:
        limit = _limits(model)[attname]
        for name in names(record):
            if len(name) > limit:
                check_values(model, {attname: name}, file=record.source.file,
                             record=record.identifier, what=what)  # fmt: skip


Row = tuple[Any, ...]


def check_rows(model: type[models.Model], columns: Sequence[str], rows: list[Row],
               records: Mapping[int, DocumentRecord]) -> None:  # fmt: skip
    """A batch of part rows (the document's id first) against the part's limits:
    inserts skip validation, SQLite ignores lengths and PostgreSQL would fail the whole
    batch without saying which record."""
    limits = _limits(model)
    for i, attname in enumerate(columns):
        limit = limits.get(attname)
        if limit is None:
            continue
        value_of = itemgetter(i)
        if max(map(len, filter(None, map(value_of, rows))), default=0) <= limit:
            continue  # the common case, checked at C speed
        row = next(row for row in rows if len(row[i] or "") > limit)
        r = records[row[0]]
        check_values(model, {attname: row[i]}, file=r.source.file, record=r.identifier)
