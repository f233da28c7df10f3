"""Field validation for imports: `clean_fields`, without its cost where a plain check
says the same, and without validating a repeated value again."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import Any

from django.core import validators
from django.db import models


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
            obj.clean_fields(exclude=[*self.exclude, *known])  # raises, naming the fields
        for attname, valid, key, value in checked:
            if values.get(attname) is value:  # a value cleaning converts is checked each time
                valid.add(key)


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
