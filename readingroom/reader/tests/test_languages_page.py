"""Documents in their own languages on the reader's page: the Belovezh Agreement's scan,
its title in Russian and its Russian machine-read text (one real page read by the
worker); the UDHR's seven texts behind a language switcher, Arabic right to left; a
related document named only when the reader may see it."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from lxml import html as lxml_html

from readingroom.catalogue import models as m
from readingroom.conf import corpus
from readingroom.files.tasks import process_pending_pages
from readingroom.files.tests.real_scans import require_tesseract
from readingroom.ingest.management.commands.load_corpus import demo_sheets

pytestmark = pytest.mark.django_db


def import_demo_sheet(index: int, sheet=None) -> None:
    default, files, mapping = demo_sheets(corpus())[index]
    call_command("import", "sheet", str(sheet or default), files=files, mapping=mapping,
                 no_progress=True, stderr=io.StringIO())  # fmt: skip


def klass(tag: str, name: str) -> str:
    """XPath of the `tag` elements whose class list holds `name`."""
    return f"//{tag}[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]"


def find(tree, tag: str, name: str) -> list:
    return tree.xpath(klass(tag, name))


def page_of(client: Client, document: m.Document):
    response = client.get(reverse("reader:document", args=[document.identifier]))
    assert response.status_code == 200
    return lxml_html.fromstring(response.content)


def test_the_belovezh_agreement_shows_its_scan_russian_title_and_russian_text(
    client: Client, tmp_path
):
    require_tesseract()
    source = corpus() / "un-ussr" / "catalogue.csv"
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    sheet = tmp_path / "catalogue.csv"  # the header and the Belovezh row only
    sheet.write_text(lines[0] + next(x for x in lines if x.startswith("1991-12-08-belovezh")),
                     encoding="utf-8")  # fmt: skip
    import_demo_sheet(0, sheet)
    belovezh = m.Document.objects.get()
    assert process_pending_pages(limit=1) == 1  # one of its five pages read for the test
    tree = page_of(client, belovezh)
    original = find(tree, "p", "title-original")[0]
    assert original.get("lang") == "ru"
    assert "Соглашение о создании Содружества Независимых Государств" in original.text_content()
    images = tree.xpath(f"{klass('section', 'scan')}//img")
    assert len(tree.xpath(f"{klass('section', 'scan')}//figure")) == 5 and len(images) == 1
    image = client.get(images[0].get("src"))
    assert image.status_code == 200 and image["Content-Type"].startswith("image/")
    read = [p for p in find(tree, "section", "ocr-page") if p.xpath(".//pre")]
    assert len(read) == 1
    text = read[0].xpath(".//pre")[0]
    assert text.get("lang") == "ru"
    assert "геополитическая реальность" in " ".join(text.text_content().split())
    heading = read[0].xpath(".//h3")[0].text_content()
    assert "read as rus+eng" in heading and "mean confidence" in heading
    label = tree.xpath(f"{klass('div', 'machine-read')}/p")[0].text_content()
    assert "Russian · Machine-read" in label
    # The scan itself, served as it was imported.
    link = tree.xpath("//a[contains(., 'Download 1991-12-08-belovezh-agreement-ru.pdf')]")[0]
    served = client.get(link.get("href"))
    stored = corpus() / "un-ussr" / "scans" / "1991-12-08-belovezh-agreement-ru.pdf"
    assert b"".join(served.streaming_content) == stored.read_bytes()


def test_the_udhr_offers_its_seven_texts_in_their_languages(client: Client):
    import_demo_sheet(1)
    tree = page_of(client, m.Document.objects.get(identifier="udhr-1948"))
    tabs = tree.xpath(f"{klass('div', 'language-switcher')}/button")
    assert [t.text_content().split(" · ")[0] for t in tabs] == [
        "English", "Français", "Español", "Русский", "中文（简体）", "العربية",
        "Deutsch"]  # fmt: skip
    bodies = find(tree, "div", "text-body")
    assert [(b.get("lang"), b.get("dir")) for b in bodies] == [
        ("en", "ltr"), ("fr", "ltr"), ("es", "ltr"), ("ru", "ltr"), ("zh-Hans", "ltr"),
        ("ar", "rtl"), ("de", "ltr")]  # fmt: skip
    assert bodies[5].xpath(".//h3")[0].text_content() == "الإعلان العالمي لحقوق الإنسان"
    labels = [p.text_content() for p in find(tree, "p", "text-label")]
    assert labels[0].startswith("English HTML · Original")
    assert "Translation of the English original · translated by United Nations" in labels[5]
    assert labels[5].endswith("right to left")
    assert [p.get("hidden") for p in find(tree, "div", "text")][1:] == [""] * 6


def test_a_related_document_is_named_only_when_the_reader_may_see_it(client: Client):
    import_demo_sheet(0)
    ru = m.Document.objects.get(files__name="1971-10-25-ga-resolution-2758-ru.pdf")
    en = m.Document.objects.get(files__name="1971-10-25-ga-resolution-2758-en.png")
    item = page_of(client, ru).xpath(f"{klass('section', 'relations')}//li")[0]
    assert item.xpath(".//a")[0].get("href").endswith(f"/{en.identifier}/")
    en.state = m.PublicationState.DRAFT
    en.save()
    item = page_of(client, ru).xpath(f"{klass('section', 'relations')}//li")[0]
    assert not item.xpath(".//a") and en.title not in item.text_content()
    assert "1971-10-25-ga-resolution-2758-en.png" in item.text_content()
