from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from readingroom.catalogue import models as m
from readingroom.catalogue.people import display_name, near_matches, normalized_name


@pytest.mark.parametrize(
    ("listed", "shown"),
    [
        ("Khrushchev, Nikita S.", "Nikita S. Khrushchev"),
        ("Thompson, Llewellyn E., Jr.", "Llewellyn E. Thompson, Jr."),
        ("Department of State", "Department of State"),
    ],
)
def test_display_name(listed: str, shown: str) -> None:
    assert display_name(listed) == shown


def test_normalized_names_agree_across_forms() -> None:
    assert normalized_name("Khrushchev, Nikita S.") == normalized_name("Nikita S. Khrushchev")
    assert normalized_name("Kennedy, John F.") != normalized_name("Kennedy, Robert F.")


@pytest.mark.django_db
def test_near_matches_are_listed_for_editors_never_merged() -> None:
    john = m.Agent.objects.create(
        kind="person", name="John F. Kennedy", sort_name="Kennedy, John F."
    )
    robert = m.Agent.objects.create(
        kind="person", name="Robert F. Kennedy", sort_name="Kennedy, Robert F."
    )
    m.Agent.objects.create(kind="person", name="Dean Rusk", sort_name="Rusk, Dean")
    pairs = [{a.pk, b.pk} for a, b in near_matches()[1]]
    assert pairs == [{john.pk, robert.pk}]
    assert m.Agent.objects.filter(kind="person").count() == 3
    editor = get_user_model().objects.create_superuser("ed", "ed@example.org", "pw-ed-12345")
    client = Client()
    client.force_login(editor)
    page = client.get("/admin/catalogue/agent/near-matches/").content.decode()
    assert "Kennedy, John F." in page and "Kennedy, Robert F." in page and "Rusk" not in page
