"""The import's field validation: what `clean_fields` says, each repeated value checked
once, and an error still naming the field."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from readingroom.catalogue import models as m
from readingroom.ingest.validation import FieldValidator


def document(**values) -> m.Document:
    fields = dict(identifier="d-1", title="T", date_precision="day", state="published",
                  rights_uri="http://rightsstatements.org/vocab/NoC-US/1.0/")  # fmt: skip
    return m.Document(**{**fields, **values})


def test_a_repeated_value_is_validated_once() -> None:
    validate = FieldValidator(m.Document, exclude=["document_type", "physical_form"])
    validate(document())
    with mock.patch.object(m.Document, "clean_fields", autospec=True) as clean:
        validate(document(identifier="d-2", title="Other", extent_pages=7))
    excluded = set(clean.call_args.kwargs["exclude"])
    assert {"rights_uri", "date_precision", "state", "document_type"} <= excluded
    assert "title" in excluded  # a new value, but plain text: checked without clean_fields
    assert "identifier" in excluded  # a new value, its pattern checked without clean_fields
    assert "extent_pages" not in excluded  # a new value: validated
    with mock.patch.object(m.Document, "clean_fields", autospec=True) as clean:
        validate(document(identifier="d-3", title="Third", extent_pages=7))
    clean.assert_not_called()  # every value checked already: no call at all


def test_the_plain_check_only_passes_what_clean_fields_accepts_unchanged() -> None:
    import datetime

    from readingroom.ingest.validation import _plain_check

    values = ["T", "", None, "104-10107-10135", "has space", "a/b", "x" * 100, "x" * 101,
              "x" * 301, "a\x00b", 4, "4", datetime.date(1963, 8, 1),
              datetime.datetime(1963, 8, 1, 12, 0)]  # fmt: skip
    plain_fields = 0
    for model in (m.Document, m.Text, m.Release, m.DocumentAgent, m.ArchivalReference):
        for field in model._meta.fields:
            plain = _plain_check(field)
            if plain is None:
                continue
            plain_fields += 1
            for value in values:
                if not plain(value):
                    continue
                field.clean(value, None) if value not in field.empty_values else None
                assert field.to_python(value) == value, (model, field.name, value)
                if value in field.empty_values:
                    assert field.blank, (model, field.name, value)
    assert plain_fields > 20


def test_the_plain_check_leaves_errors_to_clean_fields() -> None:
    validate = FieldValidator(m.Document, exclude=["document_type", "physical_form"])
    cases = [("date_as_written", "x" * 301), ("date_start", "1963-13-01"), ("title", None),
             ("identifier", "has space"), ("identifier", "")]  # fmt: skip
    for field, value in cases:
        with pytest.raises(ValidationError) as error:
            validate(document(**{field: value}))
        assert field in error.value.message_dict


@pytest.mark.parametrize(
    ("field", "value"),
    [("identifier", "has space"), ("date_precision", "fortnight"), ("rights_uri", "x"),
     ("date_as_written", "x" * 301), ("title", ""), ("title", "x" * 1001),
     ("summary", "\x00")],
)  # fmt: skip
def test_errors_name_the_field_even_after_valid_values(field: str, value: str) -> None:
    validate = FieldValidator(m.Document, exclude=["document_type", "physical_form"])
    validate(document())
    with pytest.raises(ValidationError) as error:
        validate(document(**{field: value}))
    assert field in error.value.message_dict


def test_a_value_cleaning_converts_is_checked_every_time() -> None:
    validate = FieldValidator(m.Document)
    first = document(extent_pages="4")
    validate(first)
    assert first.extent_pages == 4  # converted, as clean_fields does
    second = document(extent_pages="4")
    validate(second)
    assert second.extent_pages == 4
    with pytest.raises(ValidationError):
        validate(document(extent_pages="four"))


def test_foreign_keys_are_never_taken_as_known() -> None:
    validate = FieldValidator(m.Text)
    assert "document" not in {name for name, *_ in validate.valid}
