"""An editor merges two spellings of one person (the shared FRUS volumes V and VI name
Dobrynin "Anatoli F." and "Anatoly F."); a changed re-import of the volume links to
the kept record and never makes the merged one again."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from reversion.models import Version

from readingroom.catalogue import models as m
from readingroom.catalogue.merging import MergeError, merge
from readingroom.conf import corpus
from readingroom.ingest.lookups import Lookups
from readingroom.ingest.records import AgentRecord

pytestmark = pytest.mark.django_db
FRUS = corpus() / "frus"
KEPT, MERGED = "Anatoli F. Dobrynin", "Anatoly F. Dobrynin"
CHANGELIST = "/admin/catalogue/agent/"


def _changed_volume_vi(folder: Path) -> Path:
    """Volume VI with one sentence of document 116 (Dobrynin a participant) changed."""
    text = (FRUS / "frus1961-63v06.xml").read_text(encoding="utf-8")
    old = "said he had a\n                        personal message"
    assert text.count(old) == 1
    path = folder / "frus1961-63v06.xml"
    path.write_text(text.replace(old, "said he had a\n                        private message"),
                    encoding="utf-8")  # fmt: skip
    return path


def _links(name: str) -> set[str]:
    return set(m.DocumentAgent.objects.filter(agent__name=name)
               .values_list("document__identifier", flat=True))  # fmt: skip


def test_an_editors_merge_survives_a_changed_reimport(editor_client: Client, tmp_path) -> None:
    for volume in ("frus1961-63v05.xml", "frus1961-63v06.xml"):
        call_command("import", "frus", str(FRUS / volume), no_progress=True)
    kept, merged = m.Agent.objects.get(name=KEPT), m.Agent.objects.get(name=MERGED)
    from_v06 = _links(MERGED)
    assert "frus1961-63v06-d116" in from_v06 and len(from_v06) >= 10

    # The editor merges from the list of people: a page to choose the one kept, then done.
    chosen = {"action": "merge_selected", "_selected_action": [kept.pk, merged.pk]}
    page = editor_client.post(CHANGELIST, chosen)
    assert page.status_code == 200 and KEPT in page.text and MERGED in page.text
    done = editor_client.post(CHANGELIST, {**chosen, "keep": kept.pk, "confirmed": "yes"})
    assert done.status_code == 302 and done["Location"].endswith(f"/{kept.pk}/change/")
    assert not m.Agent.objects.filter(name=MERGED).exists()
    assert from_v06 <= _links(KEPT)
    assert MERGED in kept.other_names.values_list("name", flat=True)
    d116 = m.Document.objects.get(identifier="frus1961-63v06-d116")
    comments = Version.objects.get_for_object(d116).values_list("revision__comment", flat=True)
    assert any(f"'{MERGED}' into {KEPT}" in c for c in comments)

    # The volume comes again, one document changed: it is merged in, and every link to
    # the merged spelling goes to the kept person (through the volume's own key for him).
    err_file = tmp_path / "err"
    with err_file.open("w") as err:
        call_command("import", "frus", str(_changed_volume_vi(tmp_path)), no_progress=True,
                     stderr=err)  # fmt: skip
    assert "1 updated" in err_file.read_text()
    d116.refresh_from_db()
    assert "private message" in d116.texts.get().html
    assert not m.Agent.objects.filter(name=MERGED).exists()
    assert from_v06 <= _links(KEPT)

    # Another source that spells him so links to him too (through his other names).
    again = Lookups().agent(AgentRecord(name=MERGED, role="mentioned"))
    assert again.pk == kept.pk


def test_what_cannot_be_merged_is_refused(db) -> None:
    person = m.Agent.objects.create(kind="person", name="A. Person")
    office = m.Agent.objects.create(kind="organization", name="An Office")
    with pytest.raises(MergeError, match="person can only be merged with another person"):
        merge(person, [office])
    with pytest.raises(MergeError, match="at least two"):
        merge(person, [person])


def test_a_merged_place_spelling_is_found_by_later_imports(db) -> None:
    moscow, moskva = m.Place.objects.create(name="Moscow"), m.Place.objects.create(name="Moskva")
    merge(moscow, [moskva])
    assert Lookups().place("Moskva").pk == moscow.pk
    assert m.Place.objects.count() == 2 - 1
