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
        validate(document(identifier="d-2", title="Other"))
    excluded = set(clean.call_args.kwargs["exclude"])
    assert {"rights_uri", "date_precision", "state", "document_type"} <= excluded
    assert "identifier" not in excluded and "title" not in excluded  # new values


@pytest.mark.parametrize(
    ("field", "value"),
    [("identifier", "has space"), ("date_precision", "fortnight"), ("rights_uri", "x"),
     ("date_as_written", "x" * 301), ("title", "")],
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
    assert "document" not in {name for name, _, _ in validate.valid}
