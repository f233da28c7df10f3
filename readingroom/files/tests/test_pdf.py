"""PDFs are checked by their content before they are stored: real scans pass with their
page count; truncated, fake, encrypted and empty files are refused with the file named."""

from __future__ import annotations

import pytest
from pypdf import PdfReader, PdfWriter

from readingroom.files.pdf import PdfError, inspect_pdf
from readingroom.files.tests.real_scans import SCANS

SCAN = SCANS / "104-10107-10135.pdf"


def test_real_scans_are_image_only_pdfs_with_their_pages() -> None:
    infos = [inspect_pdf(path) for path in sorted(SCANS.glob("*.pdf"))]
    assert len(infos) == 45 and sum(i.page_count for i in infos) == 143
    assert not any(p.has_text_layer for i in infos for p in i.pages)
    first = inspect_pdf(SCAN)
    assert first.page_count == 5 and 500 < first.pages[0].width_pt < 700


def test_an_encrypted_pdf_is_refused(tmp_path) -> None:
    writer = PdfWriter(clone_from=PdfReader(SCAN))
    # RC4-128: PDF's standard handler without an extra crypto library in the tests.
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    locked = tmp_path / "locked.pdf"
    with locked.open("wb") as out:
        writer.write(out)
    with pytest.raises(PdfError, match="encrypted") as error:
        inspect_pdf(locked)
    assert str(locked) in str(error.value)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (lambda scan: scan[: len(scan) // 3], "broken PDF"),
        (lambda scan: b"not a pdf at all\n" * 10, "not a PDF"),
        (lambda scan: b"", "not a PDF"),
    ],
)
def test_broken_files_are_refused_with_their_name(tmp_path, content, reason) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(content(SCAN.read_bytes()))
    with pytest.raises(PdfError, match=reason) as error:
        inspect_pdf(bad)
    assert str(bad) in str(error.value)


def test_a_missing_file_is_named(tmp_path) -> None:
    with pytest.raises(PdfError, match="cannot read") as error:
        inspect_pdf(tmp_path / "gone.pdf")
    assert "gone.pdf" in str(error.value)
