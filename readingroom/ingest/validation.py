"""Field validation for imports: `clean_fields`, without validating a repeated value again."""

from __future__ import annotations

from collections.abc import Iterable

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
        remembered = [f for f in model._meta.fields if f.name not in self.exclude
                      and not (f.primary_key or f.is_relation)]  # fmt: skip
        self.valid = [(f.name, f.attname, set()) for f in remembered]

    def __call__(self, obj: models.Model) -> None:
        values = obj.__dict__
        known, checked = [], []
        for name, attname, valid in self.valid:
            value = values.get(attname, _MISSING)  # missing: deferred, clean_fields loads it
            key = (type(value), value)  # with the type: 1, 1.0 and True are equal in a set
            try:
                if key in valid:
                    known.append(name)
                elif value is not _MISSING and len(valid) < self.LIMIT:
                    checked.append((attname, valid, key, value))
            except TypeError:  # unhashable: always validated
                pass
        obj.clean_fields(exclude=[*self.exclude, *known])  # raises, naming the fields
        for attname, valid, key, value in checked:
            if values.get(attname) is value:  # a value cleaning converts is checked each time
                valid.add(key)


_MISSING = object()
