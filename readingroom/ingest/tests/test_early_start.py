"""`readingroom import` starts its parsing process before Django loads
(`early_start.py`): only for arguments it can read plainly, taken over by the command
only when the command was given the same, and otherwise ended without a trace."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.core.management import call_command

from readingroom.catalogue import models as m
from readingroom.conf import corpus
from readingroom.conftest import SEED_000, subprocess_env
from readingroom.ingest import early_start

LIST_2021 = corpus() / "nara-jfk" / "releases" / "jfk2021.xlsx"
VOLUME = corpus() / "frus" / "frus1961-63v06.xml"


@pytest.fixture(autouse=True)
def nothing_left_started():
    yield
    assert early_start.take("", []) is None  # ends whatever a test left


@pytest.mark.parametrize(
    "argv",
    [["--help"], ["nara-jfk", "-h"], ["no-such-importer", str(LIST_2021)], [],
     ["nara-jfk"], ["nara-jfk", "/no/such/file.xlsx"], ["pages", str(SEED_000)]],
)  # fmt: skip
def test_nothing_starts_unless_the_arguments_are_plain(argv, capsys) -> None:
    assert not early_start.start_parsing(argv)
    assert capsys.readouterr() == ("", "")  # the command reports mistakes, not this


def test_another_command_line_ends_the_early_parse() -> None:
    assert early_start.start_parsing(["frus", str(VOLUME)])
    _, channel = early_start._started
    assert early_start.take("frus", [VOLUME.parent]) is None
    channel.process.join(timeout=10)
    assert not channel.process.is_alive()


@pytest.mark.django_db
def test_the_command_takes_the_parse_it_was_given(capsys) -> None:
    assert early_start.start_parsing(["nara-jfk", "--no-progress", str(LIST_2021), "-v", "2"])
    call_command("import", "nara-jfk", str(LIST_2021), no_progress=True, verbosity=2)
    assert "parsing started before Django loaded" in capsys.readouterr().err
    assert early_start._started is None
    assert m.Document.objects.count() == 1491  # the 2021 list's records, all of them


@pytest.mark.django_db(transaction=True)
def test_readingroom_import_starts_parsing_first() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "readingroom", "import", "nara-jfk", str(LIST_2021),
         "--no-progress", "-v", "2"],
        env=subprocess_env(), capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "parsing started before Django loaded" in result.stderr
    assert "1491 created" in result.stderr
    assert m.Document.objects.count() == 1491
